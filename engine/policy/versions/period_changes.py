"""The period's changes in business terms, for `policy diff` and the Changements page: its new versions (from which
date, by which decision, what each changes against the text before it) and what was changed in place —
"renouvellement : statuts qui l'empêchent : suspendu, retiré → retiré", "durée : 3 ans → 5 ans"."""
from __future__ import annotations

from ..model.display import day_text
from ..model.parameters import dated_values
from .snapshots import Snapshot

FIELDS = ("duree", "statut_a_echeance", "renouvellement")


def period_changes(before: Snapshot, after: Snapshot, units: dict) -> dict | None:
    """{article, en_place: [sentences], versions_ajoutees: [{depuis, decision, changements}]}, or None."""
    old = before.period.data if before.period is not None else None
    new = after.period.data if after.period is not None else None
    if old == new or old is None or new is None:
        return None
    words = _Words(after, units)
    first = words.changes(old, new, _first_day(new))
    known = {str(entry.get("depuis")) for entry in _versions(old)}
    added = []
    previous = {key: new.get(key) for key in FIELDS}
    for entry in _versions(new):
        day = str(entry.get("depuis"))
        current = {**previous, **{key: entry[key] for key in FIELDS if key in entry}}
        if day not in known:
            decision = entry.get("decision") if isinstance(entry.get("decision"), dict) else {}
            added.append({"depuis": day, "decision": decision, "changements": words.changes(previous, current, day)})
        previous = current
    if not first and not added:
        return None
    return {"nom": new.get("nom"), "article": new.get("article"), "en_place": first, "versions_ajoutees": added}


class _Words:
    def __init__(self, snapshot: Snapshot, units: dict):
        self.snapshot, self.units = snapshot, units
        statuses = snapshot.files.get("statuts")
        values = statuses.get("valeurs") if isinstance(statuses, dict) else None
        self.statuses = values if isinstance(values, dict) else {}
        catalogue = snapshot.files.get("evenements")
        types = catalogue.get("types") if isinstance(catalogue, dict) else None
        self.events = types if isinstance(types, dict) else {}

    def changes(self, before: dict, after: dict, day: str) -> list[str]:
        said = []
        if before.get("duree") != after.get("duree"):
            said.append(f"durée : {self.duration(before.get('duree'), day)} → {self.duration(after.get('duree'), day)}")
        if before.get("statut_a_echeance") != after.get("statut_a_echeance"):
            said.append(f"statut à l'échéance : {self.status(before.get('statut_a_echeance'))} → "
                        f"{self.status(after.get('statut_a_echeance'))}")
        old, new = before.get("renouvellement"), after.get("renouvellement")
        if old == new:
            return said
        if not isinstance(new, dict):
            return said + ["le renouvellement est supprimé"]
        if not isinstance(old, dict):
            return said + [f"un renouvellement est ajouté : {self.renewal(new, day)}"]
        for key, what, show in (("duree", "durée", lambda v: self.duration(v, day)),
                                ("nombre", "nombre", lambda v: self.duration(v, day)),
                                ("si_evenement", "événements qui le permettent", self.event_list),
                                ("sauf_statuts", "statuts qui l'empêchent", self.status_list)):
            if old.get(key) != new.get(key):
                said.append(f"renouvellement : {what} : {show(old.get(key))} → {show(new.get(key))}")
        return said

    def renewal(self, spec: dict, day: str) -> str:
        parts = [f"durée {self.duration(spec.get('duree'), day)}", f"nombre {self.duration(spec.get('nombre'), day)}"]
        if spec.get("si_evenement"):
            parts.append(f"si {self.event_list(spec.get('si_evenement'))}")
        if spec.get("sauf_statuts"):
            parts.append(f"sauf {self.status_list(spec.get('sauf_statuts'))}")
        return ", ".join(parts)

    def duration(self, parameter_id: object, day: str) -> str:
        node = self.snapshot.parameters.get(parameter_id) if isinstance(parameter_id, str) else None
        if node is None:
            return str(parameter_id) if parameter_id is not None else "aucune"
        values = [entry.get("valeur") for entry in sorted(dated_values(node.data), key=lambda e: str(e.get("depuis")))
                  if str(entry.get("depuis")) <= day] or [None]
        unit = node.data.get("unite")
        title = self.units.get(unit, {}).get("titre", unit) if isinstance(unit, str) else unit
        return f"{values[-1]} {title}" if values[-1] is not None else str(parameter_id)

    def status(self, status: object) -> str:
        spec = self.statuses.get(status) if isinstance(status, str) else None
        return str(spec["titre"]) if isinstance(spec, dict) and spec.get("titre") else str(status)

    def status_list(self, value: object) -> str:
        items = value if isinstance(value, list) else [value] if value is not None else []
        return ", ".join(self.status(item) for item in items) or "aucun"

    def event_list(self, value: object) -> str:
        items = value if isinstance(value, list) else [value] if value is not None else []
        shown = []
        for item in items:
            spec = self.events.get(item) if isinstance(item, str) else None
            shown.append(f"« {spec['titre']} »" if isinstance(spec, dict) and spec.get("titre") else str(item))
        return ", ".join(shown) or "aucun"


def criterion_versions(old: dict, new: dict, events: dict) -> list[dict]:
    """A criterion's new amendments: from which date, by which decision, selected by which date, and what each changes
    (its requirements' motifs before → after, its evidence), in the shape of a rule's (`versions_ajoutees`)."""
    known = {str(entry.get("depuis")) for entry in _versions(old)}
    previous: dict = new
    out: list[dict] = []
    for entry in _versions(new):
        if str(entry.get("depuis")) not in known:
            chosen = (entry.get("selon") or {}).get("dernier_evenement") if isinstance(entry.get("selon"), dict) else None
            spec = events.get(chosen) if isinstance(chosen, str) else None
            said = _withdrawal(entry, "le critère")
            if not said and entry.get("exigences") != previous.get("exigences"):
                said.append(f"exigences : {_motifs(previous.get('exigences'))} → {_motifs(entry.get('exigences'))}")
            for key, what in (("preuves", "preuves"), ("motif_sans_preuve", "motif sans preuve")):
                if key in entry and entry.get(key) != previous.get(key):
                    said.append(f"{what} : {previous.get(key)} → {entry.get(key)}")
            out.append({"depuis": str(entry.get("depuis")), "selon": chosen, "par_defaut": "la date d'évaluation",
                        "selon_titre": spec.get("titre") if isinstance(spec, dict) else None, "changements": said,
                        "decision": entry.get("decision") if isinstance(entry.get("decision"), dict) else {}})
        previous = {**previous, **entry}
    return out


def control_versions(old: dict, new: dict, events: dict, worded: str = "message") -> list[dict]:
    """A dossier control's new amendments (or a required piece's: worded="titre"), in the shape of a criterion's: its
    conditions and its wording before → after."""
    known = {str(entry.get("depuis")) for entry in _versions(old)}
    previous: dict = new
    out: list[dict] = []
    for entry in _versions(new):
        if str(entry.get("depuis")) not in known:
            chosen = (entry.get("selon") or {}).get("dernier_evenement") if isinstance(entry.get("selon"), dict) else None
            spec = events.get(chosen) if isinstance(chosen, str) else None
            said = _withdrawal(entry, "le contrôle" if worded == "message" else "la pièce") or [
                f"conditions ({key}) : {_conditions(previous.get(key))} → {_conditions(entry.get(key))}"
                for key in ("si", "exige") if entry.get(key) != previous.get(key)]
            if worded in entry and entry[worded] != previous.get(worded):
                said.append(f"{worded} : « {previous.get(worded)} » → « {entry[worded]} »")
            out.append({"depuis": str(entry.get("depuis")), "selon": chosen, "par_defaut": "la date d'évaluation",
                        "selon_titre": spec.get("titre") if isinstance(spec, dict) else None, "changements": said,
                        "decision": entry.get("decision") if isinstance(entry.get("decision"), dict) else {}})
        previous = {**previous, **entry}
    return out


def _withdrawal(entry: dict, whose: str) -> list[str]:
    """A version that withdraws the element: « le critère ne s'applique plus — motif : … »; else nothing."""
    mark = entry.get("retire")
    if "retire" not in entry:
        return []
    motif = mark.get("motif") if isinstance(mark, dict) else None
    return [f"{whose} ne s'applique plus{f' — motif : {motif}' if motif else ''}"]


def _conditions(value: object) -> str:
    """A dossier condition as written ({chemin: …, egal: …}), or 'aucune'."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_conditions(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_conditions(item) for item in value) + "]"
    return "aucune" if value is None else str(value)


def _motifs(requirements: object) -> str:
    """The motifs a criterion's requirements give when unmet, quoted: what each one asks, in the policy's words."""
    items = requirements if isinstance(requirements, list) else []
    return " ; ".join(f"« {item.get('motif')} »" for item in items if isinstance(item, dict)) or "aucune"


CONVENTIONS = {"avant_jours_francs": "délais « au plus tard N jours avant » comptés en jours francs",
               "report_jour_non_ouvre": "échéance en jours calendaires tombant un jour non ouvré reportée au jour "
                                        "ouvré suivant"}


def conventions_changes(before: Snapshot, after: Snapshot) -> dict | None:
    """The calendar's conventions: new versions (from which date, by which decision, what each changes) and what
    was changed in place, in words; None when nothing changed."""
    old = before.conventions.data if before.conventions is not None else None
    new = after.conventions.data if after.conventions is not None else None
    if old == new or old is None or new is None:
        return None
    first = _convention_words(old, new)
    known = {str(entry.get("depuis")) for entry in _versions(old)}
    previous = {key: new.get(key) for key in CONVENTIONS}
    added: list[dict] = []
    for entry in _versions(new):
        current = {**previous, **{key: entry[key] for key in CONVENTIONS if key in entry}}
        if str(entry.get("depuis")) not in known:
            added.append({"depuis": str(entry.get("depuis")), "changements": _convention_words(previous, current),
                          "decision": entry.get("decision") if isinstance(entry.get("decision"), dict) else {}})
        previous = current
    return {"en_place": first, "versions_ajoutees": added} if first or added else None


TERRITORY = {"pays": "pays", "subdivision": "subdivision", "exclure": "jours fériés de la bibliothèque non retenus",
             "ajouter": "jours fériés ajoutés chaque année"}


def territory_changes(before: Snapshot, after: Snapshot) -> list[dict]:
    """The calendar's territories kept in both: new versions (from which date, by which decision, what each
    changes) and what was changed in place, in words."""
    changes: list[dict] = []
    for name, old_located in sorted(before.territories.items()):
        new_located = after.territories.get(name)
        old, new = old_located.data, new_located.data if new_located is not None else None
        if new is None or old == new:
            continue
        first = _territory_words(old, new)
        known = {str(entry.get("depuis")) for entry in _versions(old)}
        previous = {key: new.get(key) for key in TERRITORY}
        added: list[dict] = []
        for entry in _versions(new):
            current = {**previous, **{key: entry[key] for key in TERRITORY if key in entry}}
            if str(entry.get("depuis")) not in known:
                added.append({"depuis": str(entry.get("depuis")), "changements": _territory_words(previous, current),
                              "decision": entry.get("decision") if isinstance(entry.get("decision"), dict) else {}})
            previous = current
        if first or added:
            changes.append({"territoire": name, "titre": new.get("titre") or name, "en_place": first,
                            "versions_ajoutees": added})
    return changes


def _territory_words(before: dict, after: dict) -> list[str]:
    def shown(key: str, value: object) -> str:
        if isinstance(value, list) or (value is None and key in ("exclure", "ajouter")):
            return ", ".join(f"« {item} »" for item in value or ()) or "aucun"
        return "aucune" if value is None else str(value)
    return [f"{what} : {shown(key, before.get(key))} → {shown(key, after.get(key))}"
            for key, what in TERRITORY.items() if before.get(key) != after.get(key)]


def _convention_words(before: dict, after: dict) -> list[str]:
    return [f"{what} : {_yes(before.get(key))} → {_yes(after.get(key))}" for key, what in CONVENTIONS.items()
            if before.get(key) != after.get(key)]


def _yes(value: object) -> str:
    return "oui" if value is True else "non" if value is False else "absent"


def _first_day(data: dict) -> str:
    """The day the first text's values are read at: before its first version (or today's text: the latest)."""
    versions = _versions(data)
    return str(versions[0].get("depuis")) if versions else "9999-12-31"


def _versions(data: dict) -> list[dict]:
    found = data.get("versions")
    return [entry for entry in found if isinstance(entry, dict)] if isinstance(found, list) else []


def version_source(version: dict) -> str:
    """'décision du 15/01/2027, <its reference>'"""
    decision = version.get("decision") or {}
    parts = [f"décision du {day_text(decision['date'])}" if decision.get("date") else None, decision.get("reference")]
    return ", ".join(str(part) for part in parts if part)
