"""A verdict as one self-contained, printable HTML page (no script, font or file from the network): the verdict in
French, as the text report words it, and the dossier's timeline as inline SVG (engine/reports/timeline.py)."""
from __future__ import annotations

from datetime import date
from functools import partial
from html import escape as _escape

from ..policy import Policy
from ..wording import capitalised, short_date
from .consequences import lapse_consequences
from .reading import event_number, explanation
from .text import OPEN, action_party, action_state, action_title, fee_title
from .timeline import STATE_COLOURS, Point, timeline_svg

escape = partial(_escape, quote=False)   # text only: no value goes into an attribute

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#263238;margin:2em auto;
max-width:1100px;padding:0 1em}
h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .4em;border-bottom:1px solid #cfd8dc}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.3em .5em;
border-bottom:1px solid #eceff1}th{background:#f5f7f8}td.date{white-space:nowrap}
.non{color:#c62828;font-weight:bold}.oui{color:#2e7d32;font-weight:bold}.retard{color:#c62828;font-weight:bold}
.explication{color:#455a64;font-size:.92em;margin:.2em 0 0 1em;padding-left:1em}.meta{color:#546e7a}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
"""


def verdict_html(verdict: dict, policy: Policy, facts: dict | None = None) -> str:
    """The page. With the facts, the timeline shows all their events; without, those the verdict names."""
    labels = policy.labels
    identity = verdict.get("identite") or {}
    named = " — ".join(str(identity[key]) for key, _ in labels.identity() if key in identity)
    parts = [f"<h1>Situation du dossier au {escape(short_date(verdict['date_evaluation']))}</h1>",
             (f"<p class=\"meta\">{escape(named)}<br>{escape(policy.title)}, version "
              f"{escape(verdict['politique']['version'])} (révision {escape(verdict['politique']['revision'][:19])}…)"
              "</p>"),
             _summary(verdict, policy),
             "<h2>Chronologie</h2>", timeline_figure(verdict, policy, facts),
             _actions(verdict, policy, facts), _fees(verdict, policy), _findings(verdict, policy), _criteria(verdict)]
    title = f"Situation au {short_date(verdict['date_evaluation'])} — {named or verdict['instance']}"
    return ("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(part for part in parts if part) + "\n</body></html>\n")


def _explanation(item: dict, policy: Policy) -> str:
    texte = explanation(item, policy)
    if not texte:
        return ""
    return "<ul class=\"explication\">" + "".join(f"<li>{escape(s)}</li>" for s in texte) + "</ul>"


def _summary(verdict: dict, policy: Policy) -> str:
    labels = policy.labels
    rows = [("Statut", labels.status(verdict["statut"]))]
    period_name = policy.status_model.period_name
    period = verdict.get(period_name) if period_name else None
    if period and period_name:
        rows.append((capitalised(period_name), f"du {short_date(period['debut'])} au {short_date(period['fin'])}"
                     + (", renouvelée" if period["renouvelee"] else "")))
    conformity = verdict["verdict"]
    verdict_cell = ('<span class="oui">conforme</span>' if conformity["conforme"]
                    else '<span class="non">NON CONFORME</span><ul>'
                    + "".join(f"<li>{escape(m)}</li>" for m in conformity["motifs"]) + "</ul>")
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    body += f"<tr><th>Conformité</th><td>{verdict_cell}</td></tr>"
    history = "".join(f"<tr><td class=\"date\">{short_date(c['date'])}</td><td>{escape(labels.status(c['statut']))}"
                      f"{_explanation(c, policy)}</td></tr>" for c in verdict.get("historique_statut") or [])
    history = f"<h2>Évolution du statut</h2><table>{history}</table>" if history else ""
    return f"<table>{body}</table>{history}"


def timeline_figure(verdict: dict, policy: Policy, facts: dict | None) -> str:
    """The dossier's timeline (SVG) with its legend of colours and its numbered events, as an HTML fragment."""
    labels = policy.labels
    as_of = date.fromisoformat(verdict["date_evaluation"])
    statuses = [(date.fromisoformat(c["date"]), c["statut"]) for c in verdict.get("historique_statut") or []]
    events = _events(verdict, policy, facts, as_of)
    points = [Point(day, str(number or "•"), title=f"{_numbered(number)}{title} le {short_date(day)}")
              for day, number, title in events]
    due: dict[str, list[dict]] = {}
    for action in verdict["actions"]:
        if action["echeance"]:
            due.setdefault(action["echeance"], []).append(action)
    due_points = []
    for day, actions in sorted(due.items()):
        worst = min(actions, key=lambda a: ("en_retard", "a_faire", "echue", "accomplie").index(a["etat"]))
        late = " en retard" if worst["etat"] == "en_retard" else ""
        count = f" ×{len(actions)}" if len(actions) > 1 else ""
        tip = "; ".join(f"{labels.rule(a['regle'], a['depuis']['date'])} ({action_state(a, policy)})" for a in actions)
        due_points.append(Point(date.fromisoformat(day), f"{short_date(day)}{count}{late}",
                                STATE_COLOURS[worst["etat"]], tip))
    svg = timeline_svg(as_of=as_of, statuses=statuses, events=points, due=due_points,
                       status_names={s: labels.status(s) for _, s in statuses},
                       status_families={s: labels.status_family(s) for _, s in statuses})
    legend = "".join(f"<tr><td>{number or ''}</td><td class=\"date\">{short_date(day)}</td><td>{escape(title)}</td></tr>"
                     for day, number, title in events)
    colours = " ".join(f'<span style="color:{STATE_COLOURS[s]}">◆ {word}</span>' for s, word in
                       (("en_retard", "en retard"), ("a_faire", "à faire"), ("accomplie", "accomplie"),
                        ("echue", "échue")))
    return (f"<figure>{svg}<figcaption class=\"meta\">Échéances : {colours}</figcaption></figure>"
            + (f"<table><tr><th>n°</th><th>Date</th><th>Événement</th></tr>{legend}</table>"
               if legend else ""))


def _numbered(number: int | None) -> str:
    return f"n° {number} : " if number else ""


def _events(verdict: dict, policy: Policy, facts: dict | None, as_of: date) -> list[tuple[date, int | None, str]]:
    """(day, number, title) of the events shown, by date: the number is the event's place in the dossier's list
    (n° 1 the first), the one the explanations give it (engine/reports/reading.py); none for an event the verdict
    names without the facts."""
    labels = policy.labels
    found: dict[tuple, tuple] = {}
    if facts is not None:
        for index, event in enumerate(facts.get("evenements") or []):
            day = date.fromisoformat(str(event["date"]))
            if day <= as_of or event["type"] in policy.planned_event_types:
                found.setdefault((day, event["type"]), (day, event_number(f"evenements[{index}]"),
                                                        labels.event(event["type"])))
    else:
        for action in verdict["actions"]:
            day = date.fromisoformat(action["depuis"]["date"])
            found.setdefault((day, action["depuis"]["evenement"]),
                             (day, None, labels.event(action["depuis"]["evenement"])))
    return sorted(found.values(), key=lambda event: (event[0], event[1] or 0, event[2]))


def _actions(verdict: dict, policy: Policy, facts: dict | None) -> str:
    rows = []
    for action in sorted(verdict["actions"], key=lambda a: (a["etat"] not in OPEN, a["echeance"] or "9999")):
        state = escape(action_state(action, policy))
        if action["etat"] == "en_retard":
            state = f'<span class="retard">{state}</span>'
        rows.append(f"<tr><td class=\"date\">{escape(short_date(action['echeance'], 'sans délai'))}</td>"
                    f"<td>{state}</td><td>{escape(capitalised(action_party(action, policy)))}</td>"
                    f"<td>{escape(action_title(action, policy))}"
                    + "".join(f"<br><strong>{escape(consequence)}</strong>"
                              for consequence in lapse_consequences(action, verdict, policy, facts))
                    + f"{_explanation(action, policy)}</td></tr>")
    if not rows:
        return "<h2>Actions</h2><p>Aucune.</p>"
    return ("<h2>Actions</h2><table><tr><th>Échéance</th><th>État</th><th>Qui</th><th>Règle</th></tr>"
            + "".join(rows) + "</table>")


def _fees(verdict: dict, policy: Policy) -> str:
    if not verdict["frais"]:
        return "<h2>Frais dus à ce jour</h2><p>Aucun.</p>"
    labels = policy.labels
    rows = "".join(f"<tr><td class=\"date\">{short_date(fee['echeance'])}</td>"
                   f"<td>{escape(fee_title(fee, policy))} ({escape(fee['article'])}){_explanation(fee, policy)}</td>"
                   f"<td>{fee.get('quantite', 1)}"
                   + (f" × {escape(labels.fee_amount(fee, 'montant_unitaire'))}" if "montant_unitaire" in fee else "")
                   + "</td>"
                   f"<td style=\"text-align:right\">{escape(labels.fee_amount(fee))}</td></tr>"
                   for fee in verdict["frais"])
    return ("<h2>Frais dus à ce jour</h2><table><tr><th>Dus le</th><th>Frais</th><th>Calcul</th><th>Montant</th>"
            f"</tr>{rows}</table>")


def _findings(verdict: dict, policy: Policy) -> str:
    if not verdict["constats"]:
        return ""
    rows = "".join(f"<tr><td>{escape(capitalised(f['gravite']))}</td><td>{escape(f['article'])}</td>"
                   f"<td>{escape(f['message'])}{_explanation(f, policy)}</td></tr>" for f in verdict["constats"])
    return f"<h2>Constats</h2><table>{rows}</table>"


def _criteria(verdict: dict) -> str:
    criteria = verdict.get("criteres") or []
    if not criteria:
        return ""
    words = {True: "satisfait", False: "non satisfait", None: "ne peut être apprécié"}
    rows = "".join(f"<tr><td>{words[c['satisfait']]}</td><td>{escape(c.get('titre', c['id']))} ({c['article']})"
                   + ("<ul>" + "".join(f"<li>{escape(m)}</li>" for m in c["motifs"]) + "</ul>" if c["motifs"] else "")
                   + "</td></tr>" for c in criteria)
    return f"<h2>Critères</h2><table>{rows}</table>"
