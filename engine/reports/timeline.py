"""The timeline picture of a dossier, as inline SVG: the status periods as bands, the events as numbered points,
every due date as a dated mark (overdue ones in red, marked « en retard »), and the evaluation date.

Labels are laid in lanes so none overlaps another; the picture needs no font, script or file from outside."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from html import escape as _escape

from ..wording import short_date

escape = partial(_escape, quote=False)   # text only: no value goes into an attribute
WIDTH, LEFT, RIGHT = 1100, 118, 24
CHAR = 6.6                   # average width of a character at the labels' size (11px sans-serif)
LANE = 15
STATE_COLOURS = {"en_retard": "#c62828", "a_faire": "#b35c00", "accomplie": "#2e7d32", "echue": "#757575"}
SVG_STYLE = ("text{font:11px sans-serif;fill:#263238}.rang{font-weight:bold}.an{font-weight:bold;fill:#546e7a}"
             ".mois{fill:#90a4ae;font-size:9px}.retard{fill:#c62828;font-weight:bold}")
# every inline style the timeline and its legend write (engine/reports/html.py): a page's Content-Security-Policy
# allows exactly these, by their hashes
INLINE_STYLES = (SVG_STYLE, *(f"color:{colour}" for colour in STATE_COLOURS.values()))
# a status's band by its family (the policy's `famille`, engine/policy/model/vocabulary.py); a status without one
# takes the next of the colours no family has. The band's text names the status: colour never says it alone.
FAMILY_COLOURS = {"candidature": "#bbdefb", "active": "#c8e6c9", "suspendue": "#ffe0b2", "terminee": "#cfd8dc",
                  "refusee": "#ffcdd2"}
BAND_COLOURS = ("#bbdefb", "#c8e6c9", "#ffe0b2", "#e1bee7", "#ffcdd2", "#d7ccc8", "#cfd8dc", "#fff9c4")


@dataclass(frozen=True)
class Point:
    day: date
    label: str
    colour: str = "#37474f"
    title: str = ""


class _Scale:
    def __init__(self, first: date, last: date):
        span = max((last - first).days, 30)
        pad = timedelta(days=max(span // 25, 7))
        self.first, self.last = first - pad, last + pad

    def x(self, day: date) -> float:
        total = (self.last - self.first).days
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.first).days / total


def _lanes(points: list[Point], scale: _Scale) -> list[tuple[Point, float, int]]:
    """(point, x of its label's start, lane): the first lane where the label fits after the previous one."""
    ends: list[float] = []
    placed = []
    for point in sorted(points, key=lambda p: p.day):
        width = len(point.label) * CHAR
        start = min(max(scale.x(point.day) - width / 2, LEFT), WIDTH - RIGHT - width)
        lane = next((i for i, end in enumerate(ends) if end + 6 <= start), len(ends))
        if lane == len(ends):
            ends.append(0.0)
        ends[lane] = start + width
        placed.append((point, start, lane))
    return placed


def _axis(scale: _Scale, y: float, height: float) -> list[str]:
    out = [f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#90a4ae"/>']
    years = range(scale.first.year, scale.last.year + 2)
    monthly = (scale.last - scale.first).days < 800
    for year in years:
        for month in (range(1, 13) if monthly else (1,)):
            day = date(year, month, 1)
            if not scale.first <= day <= scale.last:
                continue
            x = scale.x(day)
            strong = month == 1
            out.append(f'<line x1="{x:.1f}" y1="{y - (6 if strong else 3)}" x2="{x:.1f}" y2="{y + height}" '
                       f'stroke="{"#cfd8dc" if strong else "#eceff1"}"/>')
            label = str(year) if strong else f"{month:02d}"
            if strong or (x - LEFT) > 20:
                out.append(f'<text x="{x + 2:.1f}" y="{y - 8}" class="{"an" if strong else "mois"}">{label}</text>')
    return out


def timeline_svg(*, as_of: date, statuses: list[tuple[date, str]], events: list[Point], due: list[Point],
                 status_names: dict[str, str], status_families: dict[str, str | None] | None = None) -> str:
    """statuses: (start, status) in date order; events and due dates as points (a due point's label is its date);
    status_families: each status's family, which colours its band."""
    days = [as_of] + [d for d, _ in statuses] + [p.day for p in events + due]
    scale = _Scale(min(days), max(days))
    event_rows = _lanes(events, scale)
    due_rows = _lanes(due, scale)
    event_lanes = max((lane for *_, lane in event_rows), default=0) + 1
    due_lanes = max((lane for *_, lane in due_rows), default=0) + 1
    top, band = 34, 26
    events_y = top + band + 26
    due_y = events_y + event_lanes * LANE + 30
    height = due_y + due_lanes * LANE + 16
    svg = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
            'aria-label="Chronologie du dossier">'),
           f"<style>{SVG_STYLE}</style>"]
    svg += _axis(scale, top - 4, height - top)
    svg += [f'<text x="8" y="{top + 17}" class="rang">Statut</text>',
            f'<text x="8" y="{events_y + 4}" class="rang">Événements</text>',
            f'<text x="8" y="{due_y + 4}" class="rang">Échéances</text>']
    svg += _bands(statuses, scale, top, band, status_names, status_families or {})
    svg += _points(event_rows, scale, events_y, "circle")
    svg += _points(due_rows, scale, due_y, "diamond")
    x = scale.x(as_of)
    svg += [(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 4}" stroke="#1565c0" '
             'stroke-dasharray="4 3"/>'),
            f'<text x="{min(x + 3, WIDTH - 90):.1f}" y="{height - 4}" fill="#1565c0">au {short_date(as_of)}</text>',
            "</svg>"]
    return "\n".join(svg)


def _bands(statuses, scale: _Scale, y: float, height: float, names: dict[str, str],
           families: dict[str, str | None]) -> list[str]:
    out = []
    colours: dict[str, str] = {status: FAMILY_COLOURS[family] for status, family in families.items()
                               if family in FAMILY_COLOURS}
    others = [colour for colour in BAND_COLOURS if colour not in FAMILY_COLOURS.values()]
    for index, (start, status) in enumerate(statuses):
        end = statuses[index + 1][0] if index + 1 < len(statuses) else scale.last
        if status not in colours:
            taken = sum(1 for known in colours if families.get(known) not in FAMILY_COLOURS)
            colours[status] = others[taken % len(others)]
        colour = colours[status]
        x0, x1 = scale.x(start), scale.x(end)
        name = names.get(status, status)
        out.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" height="{height}" fill="{colour}" '
                   f'stroke="#ffffff"><title>{escape(name)} à partir du {short_date(start)}</title></rect>')
        room = int((x1 - x0 - 6) / CHAR)
        if room >= 3:
            text = name if len(name) <= room else name[:room - 1] + "…"
            out.append(f'<text x="{x0 + 3:.1f}" y="{y + 17}">{escape(text)}</text>')
    return out


def _points(rows, scale: _Scale, y: float, shape: str) -> list[str]:
    out = []
    for point, start, lane in rows:
        x = scale.x(point.day)
        label_y = y + 4 + lane * LANE
        if shape == "circle":
            out.append(f'<circle cx="{x:.1f}" cy="{y - 8}" r="4" fill="{point.colour}">'
                       f'<title>{escape(point.title)}</title></circle>')
        else:
            out.append(f'<path d="M{x:.1f} {y - 14} l6 6 l-6 6 l-6 -6 z" fill="{point.colour}">'
                       f'<title>{escape(point.title)}</title></path>')
        if lane:
            out.append(f'<line x1="{x:.1f}" y1="{y - 4}" x2="{x:.1f}" y2="{label_y - 10}" stroke="#b0bec5"/>')
        late = ' class="retard"' if point.colour == STATE_COLOURS["en_retard"] else ""
        out.append(f'<text x="{start:.1f}" y="{label_y}"{late}>{escape(point.label)}</text>')
    return out
