"""The French texts of `clea policy diff`, `history` and `params`: what a board member reads.

Dates JJ/MM/AAAA, values with their unit as a person writes it (12,50 € HT, 10 jours ouvrés); JSON keeps ISO dates
and raw values (engine/policy/diff.py, history.py, model.py).
"""
from __future__ import annotations

from ..policy.model.display import day_text, value_text
from ..policy.versions.period_changes import version_source

_NATURE = {"nouvelle_valeur": "nouvelle valeur", "valeur_corrigee": "valeur corrigée",
           "valeur_retiree": "valeur retirée", "source_modifiee": "source modifiée"}
_ELEMENT = {"ajoute": "+ ajouté ", "retire": "- retiré ", "modifie": "~ modifié"}


def params_text(policy, day, rows: list[dict]) -> str:
    lines = [f"{policy.id} {policy.version} — paramètres en vigueur au {day_text(day)}"]
    for row in rows:
        value = "—" if row["valeur"] is None else value_text(row["valeur"], row["unite"], policy.units)
        since = f"depuis le {day_text(row['depuis'])}" if row["depuis"] else "pas encore en vigueur"
        lines.append(f"  {row['id']:<42} {value:<20} {since:<22} [{row['article']}]")
    return "\n".join(lines) + "\n"


def history_text(history: dict, units: dict) -> str:
    unit = units.get(history["unite"], {}).get("titre", history["unite"])
    lines = [(f"{history['politique']} {history['version']} — {history['id']} [{history['article']}] : "
              f"{history['titre']} (en {unit})")]
    for value in history["valeurs"]:
        line = f"  depuis le {day_text(value['depuis'])}  {value_text(value['valeur'], history['unite'], units):>18}"
        if value.get("herite_de"):
            line += f"  (valeur de {value['herite_de']})"
        line += _sources(value)
        lines.append(line)
    return "\n".join(lines) + "\n"


def _sources(value: dict) -> str:
    text = ""
    decision = value.get("decision")
    if decision:
        text += f"  décision du {day_text(decision.get('date'))}" + (f" ({decision['reference']})"
                                                                   if decision.get("reference") else "")
    correction = value.get("correction")
    if correction:
        text += f"  correction : {correction.get('motif')}" + (f" ({day_text(correction['date'])})"
                                                               if correction.get("date") else "")
    retroactive = value.get("retroactif")
    if retroactive:
        text += f"  rétroactive : {retroactive.get('motif')}"
    return text


def diff_text(diff: dict, old_label: str, new_label: str) -> str:
    lines = [f"Changements de {old_label} à {new_label}"]
    if diff["identiques"]:
        return lines[0] + " : aucun.\n"
    for policy in diff["politiques"]:
        lines.append("")
        version = policy["version"]
        if policy["changement"] == "ajoutee":
            extends = f", étend {policy['etend']}" if policy.get("etend") else ""
            lines.append(f"Politique {policy['id']} ajoutée (version {version['apres']}{extends})")
            continue
        if policy["changement"] == "retiree":
            lines.append(f"Politique {policy['id']} retirée (version {version['avant']})")
            continue
        same = version["avant"] == version["apres"]
        lines.append(f"Politique {policy['id']} — version {version['avant']}"
                     + (" (inchangée)" if same else f" → {version['apres']}"))
        units = policy.get("unites", {})
        if policy["parametres"]:
            lines.append("  Paramètres")
            for parameter in policy["parametres"]:
                lines.extend(_parameter_lines(parameter, units))
        for key, title in (("regles", "Règles"), ("criteres", "Critères"), ("controles", "Contrôles du dossier"),
                           ("pieces", "Pièces du dossier (complétude)"), ("evenements", "Types d'événements")):
            if policy.get(key):
                lines.append(f"  {title}")
                for element in policy[key]:
                    detail = f" ({', '.join(element['champs_modifies'])})" if element.get("champs_modifies") else ""
                    lines.append(f"    {_ELEMENT[element['changement']]} {element['id']} [{element['article']}] "
                                 f"{element['titre'] or ''}{detail}".rstrip())
                    lines.extend(_version_lines(element))
                    lines.extend(_inherited(element, "      "))
        if policy.get("periode"):
            lines.extend(_period_lines(policy["periode"]))
        if policy.get("conventions"):
            lines.extend(_period_lines(policy["conventions"], "  Conventions de calcul des délais (calendrier)",
                                       "pour les délais que font courir les événements à partir du", ""))
        for territory in policy.get("territoires") or ():
            lines.extend(_period_lines(territory, f"  Territoire « {territory['titre']} » (calendrier)",
                                       "pour les délais que font courir les événements à partir du", ""))
        if policy.get("cas"):
            lines.append("  Cas")
            lines.extend(_case_line(case) for case in policy["cas"])
        if policy["politique"]:
            lines.append(f"  Politique : {', '.join(policy['politique'])} modifié(s)")
        if policy["autres_fichiers"]:
            lines.append(f"  Autres fichiers modifiés : {', '.join(policy['autres_fichiers'])}")
    return "\n".join(lines) + "\n"


def _period_lines(period: dict, head: str | None = None,
                  selected: str = "pour les périodes commencées à partir du", which: str = "périodes") -> list[str]:
    """A dated element's new versions and its changes in place, in words (the period, the conventions:
    engine/policy/versions/period_changes.py)."""
    lines = [head or f"  Période ({period['nom']}) [{period['article']}]"]
    for version in period["versions_ajoutees"]:
        source = version_source(version)
        lines.append(f"    nouvelle version {selected} {day_text(version['depuis'])}"
                     f"{f' — {source}' if source else ''}")
        lines.extend(f"      {change}" for change in version["changements"])
    if period["en_place"]:
        lines.append(f"    modifiée en place (pour tous les {which or 'délais'}, passés compris) :"
                     if which != "périodes" else "    modifiée en place (pour toutes les périodes, passées comprises) :")
        lines.extend(f"      {change}" for change in period["en_place"])
    return lines


_CASE = {"ajoute": "+ ajouté", "supprime": "- supprimé", "retire": "- retiré", "mis_en_attente": "~ mis en attente",
         "plus_en_attente": "~ n'est plus en attente", "modifie": "~ modifié"}


def _case_line(case: dict) -> str:
    """'    ~ mis en attente tests/x.yaml — <its name> (en attente : …) — motif : …'"""
    line = f"    {_CASE[case['changement']]} tests/{case['fichier']}" + (f" — {case['nom']}" if case["nom"] else "")
    if case.get("en_attente"):
        line += f" (en attente : {case['en_attente']})"
    if case.get("champs_modifies"):
        line += f" ({', '.join(case['champs_modifies'])})"
    if case.get("motif"):
        line += f" — motif : {case['motif']}"
    elif case["changement"] in ("supprime", "mis_en_attente"):
        line += " — sans motif"
    return line


TRIGGER_DATE = "la date de l'événement déclencheur"


def _version_lines(rule: dict) -> list[str]:
    """A rule's new amendments: from when, which decision, which date selects it, and what changes."""
    lines = []
    for version in rule.get("versions_ajoutees", []):
        decision = version["decision"]
        source = ", ".join(str(part) for part in (f"décision du {day_text(decision['date'])}" if decision.get("date")
                                                  else None, decision.get("reference")) if part)
        default = version.get("par_defaut")      # a criterion's: the evaluation date; a rule's: its trigger's
        fallback = default or "celle de l'événement déclencheur"
        chosen = (f", selon la date du dernier événement « {version.get('selon_titre') or version['selon']} » "
                  f"(à défaut, {fallback})" if version["selon"] else
                  f", selon {default or TRIGGER_DATE}")
        lines.append(f"      nouvelle version à partir du {day_text(version['depuis'])}{chosen}"
                     f"{f' — {source}' if source else ''}")
        lines.extend(f"        {change}" for change in version["changements"])
    return lines


_FIELDS = {"titre": "intitulé", "article": "article", "unite": "unité"}


def field_change_text(field: dict, units: dict) -> str:
    """A parameter's description changed, in words: « unité : jours ouvrés → jours »."""
    def shown(value) -> str:
        if field["champ"] == "unite" and isinstance(value, str):
            return str(units.get(value, {}).get("titre", value))
        return f"« {value} »" if field["champ"] == "titre" else str(value)
    return f"{_FIELDS.get(field['champ'], field['champ'])} : {shown(field['avant'])} → {shown(field['apres'])}"


def _parameter_lines(parameter: dict, units: dict) -> list[str]:
    unit = parameter["unite"]
    head = f"    {parameter['id']} [{parameter['article']}] — {parameter['titre']}"
    if parameter["changement"] != "modifie":
        values = ", ".join(f"{value_text(v['valeur'], unit, units)} depuis le {day_text(v['depuis'])}"
                           for v in parameter["valeurs"])
        kind = "paramètre ajouté" if parameter["changement"] == "ajoute" else "paramètre retiré"
        return [head, f"      {kind} : {values}"] + _inherited(parameter, "      ")
    lines = [head]
    for field in parameter.get("champs", ()):
        lines.append(f"      {field_change_text(field, units)}")
    for change in parameter["valeurs_modifiees"]:
        line = (f"      à partir du {day_text(change['depuis'])} : {value_text(change['avant'], unit, units)} → "
                f"{value_text(change['apres'], unit, units)} ({_NATURE[change['nature']]})")
        decision = change.get("decision")
        if decision:
            reference = f", {decision['reference']}" if decision.get("reference") else ""
            line += f" — décision du {day_text(decision.get('date'))}{reference}"
        if change.get("correction"):
            line += f" — correction : {change['correction'].get('motif')}"
        if change.get("retroactif"):
            line += f" — rétroactive : {change['retroactif'].get('motif')}"
        lines.append(line)
        lines.extend(_inherited(change, "        ", unit, units))
    return lines


def _inherited(change: dict, indent: str, unit=None, units=None) -> list[str]:
    """Which extensions inherit a change of their base, and which keep their own."""
    lines = []
    if change.get("heritee_par"):
        lines.append(f"{indent}hérité par : {', '.join(change['heritee_par'])}")
    for own in change.get("non_heritee_par", []):
        kept = f" ({value_text(own['valeur'], unit, units)})" if "valeur" in own and units is not None else ""
        lines.append(f"{indent}non hérité par {own['id']}, qui garde sa propre {own.get('quoi', 'valeur')}{kept}")
    return lines
