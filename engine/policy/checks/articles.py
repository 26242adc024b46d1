"""The law next to the code: for each section of a policy's map (articles.yaml), what cites it and what it
deliberately leaves out.

A section id maps to its title, or to `{titre, non_encodable: [{texte, raison}], encode: [{texte, par}]}`: the
sentences of the section no rule encodes, each with its reason, and those encoded, each with what encodes it (ids);
with the policy's text (texte.md), every sentence of a section is accounted for by one or the other, or listed as
unaccounted (engine/policy/checks/sentences.py). What cites a section, by kind: rules (and the exceptions of their status
guards), parameters, criteria, parts of the file (completeness), dossier controls, the period (statuts.periode, its
renewal), what the policy says of its extensions and its calendar, findings, statuses, event types, the avis. The
last four are vocabulary: they name things, they encode no sentence. A section that nothing of the other kinds cites
and that declares no non-encodable sentence is a gap.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model.parameters import flatten_tree
from .sentences import Sentence, account
from .text import read_sections

ENCODING = ("regles", "parametres", "criteres", "pieces", "controles", "periode", "politique")
VOCABULARY = ("constats", "statuts", "evenements", "avis")
KINDS = ENCODING + VOCABULARY
LABELS = {"regles": "règles", "parametres": "paramètres", "criteres": "critères", "pieces": "pièces",
          "controles": "contrôles", "periode": "période", "politique": "politique", "constats": "constats",
          "statuts": "statuts", "evenements": "événements", "avis": "avis"}


@dataclass
class Section:
    id: str
    title: str
    not_encodable: list = field(default_factory=list)         # [{texte, raison}]
    cited: dict = field(default_factory=lambda: {kind: [] for kind in KINDS})
    encoded_sentences: list = field(default_factory=list)     # [{texte, par}]
    sentences: list[Sentence] = field(default_factory=list)   # each sentence of texte.md's section, accounted for

    @property
    def encoded(self) -> bool:
        return any(self.cited[kind] for kind in ENCODING)

    @property
    def gap(self) -> bool:
        return not self.encoded and not self.not_encodable

    def as_dict(self) -> dict:
        return {"id": self.id, "titre": self.title, **self.cited, "non_encodable": self.not_encodable,
                "encode": self.encoded_sentences, "lacune": self.gap,
                "phrases": [{"texte": s.text, "etat": s.state,
                             **({"par": list(s.by)} if s.state == "encodee" else {}),
                             **({"raison": s.by[0]} if s.state == "declaree" else {})} for s in self.sentences],
                "phrases_non_rendues": [s.text for s in self.sentences if s.state == "non_rendue"]}


def section_entry(value) -> tuple[str, list]:
    """An articles.yaml value -> (title, non-encodable sentences)."""
    if isinstance(value, dict):
        return value["titre"], list(value.get("non_encodable", []))
    return value, []


def sections(policy) -> list[Section]:
    """Every section of the policy's map, in order, with what cites it and, with its text, each sentence."""
    out = {key: Section(key, *section_entry(value)) for key, value in policy.raw["articles"].items()}
    text = read_sections(policy.directory) if getattr(policy, "directory", None) else {}
    for key, entry in out.items():
        value = policy.raw["articles"][key]
        entry.encoded_sentences = list(value.get("encode", [])) if isinstance(value, dict) else []
        if key in text:
            entry.sentences = account(text[key], entry.encoded_sentences, entry.not_encodable)
    for kind, article, item_id, title, path in _citations(policy.raw):
        section = out.get(article)
        if section is not None:
            section.cited[kind].append({"id": item_id, "titre": title, **_where(policy, path)})
    return list(out.values())


def gaps(policy) -> list[Section]:
    return [section for section in sections(policy) if section.gap]


def needs_cases(policy) -> list[str]:
    """The sections a case can exercise: all but those whose sentences are all declared not encodable."""
    return [section.id for section in sections(policy) if section.encoded or not section.not_encodable]


def _where(policy, path: tuple) -> dict:
    if policy.sources is None:
        return {}
    file, line = policy.sources.locate(path)
    if file is None:
        return {}
    try:
        file = str(Path(file).resolve().relative_to(policy.directory.resolve().parent))
    except ValueError:
        pass
    return {"fichier": file, "ligne": line}


def _citations(data: dict):
    """(kind, article, id, title, path in the assembled policy) for everything that cites a section."""
    for index, rule in enumerate(data["regles"]):
        yield "regles", rule["article"], rule["id"], rule["titre"], ("regles", index)
        exceptions = rule["quand"].get("au_statut", {}).get("sauf")
        listed = isinstance(exceptions, list)
        for number, exception in enumerate(exceptions if listed else [exceptions] if exceptions else []):
            yield "regles", exception["article"], rule["id"], f"exception : {rule['titre']}", \
                ("regles", index, "quand", "au_statut", "sauf") + ((number,) if listed else ())
    for path, node in flatten_tree(data["parametres"]).items():
        yield "parametres", node["article"], ".".join(path), node["titre"], ("parametres",) + path
    dossier = data.get("dossier") or {}
    completeness = dossier.get("completude")
    if completeness:
        yield "pieces", completeness["article"], "completude", "Complétude du dossier", ("dossier", "completude")
        for index, piece in enumerate(completeness["pieces"]):
            yield "pieces", piece["article"], piece["id"], piece["titre"], ("dossier", "completude", "pieces", index)
    for index, criterion in enumerate(dossier.get("criteres", [])):
        yield "criteres", criterion["article"], criterion["id"], criterion["titre"], ("dossier", "criteres", index)
    for index, control in enumerate(dossier.get("controles", [])):
        yield "controles", control["article"], control["id"], control["message"], ("dossier", "controles", index)
    if dossier.get("avis"):
        yield "avis", dossier["avis"]["article"], "avis", "Avis proposé", ("dossier", "avis")
        unfavourable = dossier["avis"].get("si_defavorable")
        if unfavourable:
            yield "avis", unfavourable["article"], unfavourable["cle"], unfavourable["titre"], \
                ("dossier", "avis", "si_defavorable")
    period = data["statuts"].get("periode")
    if period:
        yield "periode", period["article"], period["nom"], "Durée et fin de la période", ("statuts", "periode")
        renewal = period.get("renouvellement")
        if renewal:
            yield "periode", renewal["article"], f"{period['nom']}.renouvellement", "Renouvellement", \
                ("statuts", "periode", "renouvellement")
    main = data["politique"]
    for key, title in (("extension", "Ce que peut une politique qui l'étend"), ("portee", "Portée de l'extension")):
        if main.get(key):
            yield "politique", main[key]["article"], key, title, ("politique", key)
    guarantees = ((main.get("extension") or {}).get("regles") or {}).get("garanties") or {}
    for key, spec in guarantees.items():
        for article in spec["articles"]:
            yield "politique", article, f"extension.regles.garanties.{key}", \
                f"Ce que garde une action de la base qu'une extension remplace : {key}", \
                ("politique", "extension", "regles", "garanties", key)
    sessions = data["calendrier"].get("sessions")
    if sessions:
        yield "politique", sessions["article"], "calendrier.sessions", "Calendrier des sessions", \
            ("calendrier", "sessions")
    for finding_id, finding in data["constats"].items():
        for article in finding.get("articles", [finding["article"]]):
            yield "constats", article, finding_id, finding["titre"], ("constats", finding_id)
    for status, spec in data["statuts"]["valeurs"].items():
        yield "statuts", spec["article"], status, spec["titre"], ("statuts", "valeurs", status)
    for group in ("types", "derives"):
        for name, spec in data["evenements"].get(group, {}).items():
            yield "evenements", spec["article"], name, spec["titre"], ("evenements", group, name)
