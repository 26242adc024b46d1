"""A parameter's history as a small step chart (inline SVG): one step per dated value, a mark per decision.

The picture repeats what the table beside it says (role="img" with a title and a description), so a screen
reader loses nothing by skipping it. Pure text output: no library, no script.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 680, 240
LEFT, RIGHT, TOP, BOTTOM = 86, 20, 24, 40
LINE, MARK, TODAY = "#000091", "#a94700", "#595959"


@dataclass(frozen=True)
class Step:
    since: date
    value: float
    label: str              # the value as people read it: '12,50 € HT'
    decision: str | None    # 'décision du 20/11/2026, CA …' when the policy says where the value comes from


def step_chart(steps: list[Step], *, today: date, chart_id: str, title: str, description: str) -> Markup:
    if not steps:
        return Markup("")
    start = steps[0].since - timedelta(days=120)
    end = max(today, steps[-1].since) + timedelta(days=365)
    top_value = max(step.value for step in steps) or 1.0

    def x(day: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - start).days / max((end - start).days, 1)

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / (top_value * 1.15))

    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
              f'class="graphique" role="img" aria-labelledby="{chart_id}-titre {chart_id}-desc">'),
             f'<title id="{chart_id}-titre">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>']
    parts += _axes(x, y, start, end, steps, top_value)
    path = []
    for index, step in enumerate(steps):
        following = steps[index + 1].since if index + 1 < len(steps) else end
        path.append(f"{'M' if index == 0 else 'L'}{x(step.since):.1f},{y(step.value):.1f} "
                    f"L{x(following):.1f},{y(step.value):.1f}")
    parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    for step in steps:
        cx, cy = x(step.since), y(step.value)
        tip = f"depuis le {step.since:%d/%m/%Y} : {step.label}" + (f" — {step.decision}" if step.decision else "")
        if step.decision:
            parts.append(f'<path d="M{cx:.1f},{cy - 7:.1f} L{cx + 7:.1f},{cy:.1f} L{cx:.1f},{cy + 7:.1f} '
                         f'L{cx - 7:.1f},{cy:.1f} Z" fill="{MARK}"><title>{escape(tip)}</title></path>')
        else:
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{LINE}"><title>{escape(tip)}</title>'
                         '</circle>')
        parts.append(f'<text x="{cx + 6:.1f}" y="{cy - 9:.1f}" font-size="12" fill="#1e1e1e">'
                     f'{escape(step.label)}</text>')
    tx = x(today)
    parts.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{TOP - 8}" y2="{HEIGHT - BOTTOM}" stroke="{TODAY}" '
                 'stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{tx - 4:.1f}" y="{TOP - 11}" font-size="12" text-anchor="end" fill="{TODAY}">'
                 "aujourd'hui</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _axes(x, y, start: date, end: date, steps: list[Step], top_value: float) -> list[str]:
    bottom = HEIGHT - BOTTOM
    out = [f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}" stroke="#929292"/>',
           f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{bottom}" stroke="#929292"/>']
    years = range(start.year + 1, end.year + 1)
    stride = max(1, len(years) // 8)
    for year in list(years)[::stride]:
        tick = x(date(year, 1, 1))
        out.append(f'<line x1="{tick:.1f}" x2="{tick:.1f}" y1="{bottom}" y2="{bottom + 5}" stroke="#929292"/>')
        out.append(f'<text x="{tick:.1f}" y="{bottom + 20}" font-size="12" text-anchor="middle" fill="#1e1e1e">'
                   f"{year}</text>")
    highest = max(steps, key=lambda step: step.value)
    for value, label in ((0.0, "0"), (highest.value, highest.label)):
        out.append(f'<text x="{LEFT - 8}" y="{y(value) + 4:.1f}" font-size="12" text-anchor="end" fill="#1e1e1e">'
                   f"{escape(label if value else '0')}</text>")
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#dddddd"/>')
    return out
