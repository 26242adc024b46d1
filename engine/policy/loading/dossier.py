"""The schema-valid `dossier` section of an assembled policy -> its DossierChecks (engine/policy/model/dossier.py),
built once at load: conditions and paths compiled, messages and the avis's texts parsed into Templates that may
quote only their own placeholders. Every problem is an Issue (file:line: path: message, in French), never an
exception; references to other parts (findings, events, rules, unique ids) are checked by checks/dossier.py.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import Any

from ...errors import Issue
from ...suggestions import unknown
from ..conditions.language import (
    KEYED,
    PLACEHOLDERS,
    Condition,
    Path,
    parse_condition,
    parse_path,
)
from ..model.dossier import (
    Avis,
    AvisWords,
    Completeness,
    Control,
    ControlVersion,
    Criterion,
    CriterionVersion,
    DossierChecks,
    Emit,
    FindingRef,
    Piece,
    PieceVersion,
    Requirement,
    StatedDelay,
    Window,
)
from ..model.elements import Decision
from ..model.templates import Template, TemplateError

SECTION = "dossier"
# placeholders each templated wording of the avis may quote
AVIS_PLACEHOLDERS = {
    "titre": ("politique",), "candidat": ("denomination", "siren"), "instance": ("instance", "date"),
    "politique": ("politique", "version"), "sens_propose": ("sens",), "sens_motive": ("article",),
    "incomplet": ("nombre",),
}
DEADLINE_PLACEHOLDERS = ("delai", "notification", "echeance")
Raw = Mapping[str, Any]


class _Builder:
    def __init__(self, assembled: Raw, sources: Any, base: Any) -> None:
        self.findings: Raw = assembled.get("constats") or {}
        self.rules = {rule.get("id"): rule for rule in assembled.get("regles") or [] if isinstance(rule, Mapping)}
        self.sources, self.base = sources, base      # base: the Policy an overlay extends
        self.issues: list[Issue] = []

    def issue(self, at: tuple, message: str) -> None:
        self.issues.append(self.sources.issue(at, message))

    # --- parts -----------------------------------------------------------------------------------------------
    def conditions(self, element: Raw, key: str, at: tuple) -> tuple[Condition, ...]:
        raw = element.get(key)
        if raw is None:
            return ()
        out = []
        for index, condition in enumerate(raw if isinstance(raw, list) else [raw]):
            try:
                out.append(parse_condition(condition))
            except ValueError as exc:
                self.issue(at + ((key, index) if isinstance(raw, list) else (key,)), str(exc))
        return tuple(out)

    def path(self, text: object, at: tuple) -> Path | None:
        try:
            return parse_path(text)      # type: ignore[arg-type]
        except ValueError as exc:
            self.issue(at, str(exc))
            return None

    def message(self, text: str, at: tuple, names: Collection[str] = PLACEHOLDERS) -> Template:
        """A message about a violation: only the PLACEHOLDERS, a key only on {element[…]}."""
        template = self._parse(text, at, "modèle de message invalide")
        for placeholder in template.unknown(names, KEYED):
            if placeholder.name in names:
                self.issue(at, f"variable de message inconnue '{placeholder}' : seul {{element[champ]}} prend une "
                               "clé entre crochets")
            else:
                self.issue(at, unknown("variable de message inconnue", str(placeholder), [f"{{{p}}}" for p in names]))
        return template

    def text(self, text: str, names: Collection[str], at: tuple) -> Template:
        """A wording of the avis: only its own placeholders, none with a key."""
        template = self._parse(text, at, "modèle de texte invalide")
        for shown in sorted({str(placeholder) for placeholder in template.unknown(names)}):
            self.issue(at, unknown("variable de texte inconnue", shown, [f"{{{k}}}" for k in names]))
        return template

    def _parse(self, text: str, at: tuple, what: str) -> Template:
        try:
            return Template.parse(text)
        except TemplateError as exc:
            self.issue(at, f"{what} : {exc}")
            return Template(text, (text,))

    def finding(self, finding_id: str | None) -> FindingRef | None:
        found = self.findings.get(finding_id) if finding_id is not None else None
        if not isinstance(found, Mapping):
            return None          # unknown: reported by checks/dossier.py
        return FindingRef(str(finding_id), found.get("gravite", ""), found.get("article", ""), found.get("titre", ""))

    # --- sections --------------------------------------------------------------------------------------------
    def completeness(self, raw: Raw, at: tuple) -> Completeness:
        pieces = tuple(Piece(p["id"], p["article"], p["titre"], self.conditions(p, "si", at + ("pieces", i)),
                             self.conditions(p, "exige", at + ("pieces", i)), self.finding(p.get("constat")),
                             self.piece_versions(p, at + ("pieces", i)))
                       for i, p in enumerate(raw["pieces"]) if "retire" not in p)   # withdrawn: kept, not applied
        window, emit = raw.get("en_instruction"), raw.get("emettre")
        return Completeness(raw["article"], self.finding(raw.get("constat")), pieces,
                            Window(window["depuis"], tuple(window.get("jusqu_a", ()))) if window else None,
                            Emit(emit["evenement"], tuple(emit.get("dates", ()))) if emit else None)

    def piece_versions(self, raw: Raw, at: tuple) -> tuple[PieceVersion, ...]:
        """A piece's amendments, each stating its conditions in full (its title: the one before unless it states it)."""
        versions: list[PieceVersion] = []
        for number, version in enumerate(raw.get("versions") or [], 1):
            where = at + ("versions", number - 1)
            versions.append(PieceVersion(
                date.fromisoformat(str(version["depuis"])), _decision(version),
                (version.get("selon") or {}).get("dernier_evenement"), self.conditions(version, "si", where),
                self.conditions(version, "exige", where),
                version.get("titre") or (versions[-1].title if versions else raw["titre"]), number))
        return tuple(versions)

    def criterion(self, raw: Raw, at: tuple) -> Criterion:
        evidence, no_evidence, requirements = self.criterion_text(raw, at)
        versions: list[CriterionVersion] = []
        for number, version in enumerate(raw.get("versions") or [], 1):      # each states its requirements in full
            where = at + ("versions", number - 1)
            found = self.criterion_text(version, where)
            evidence_now = found[0] if "preuves" in version else (versions[-1].evidence if versions else evidence)
            motif_now = found[1] if "motif_sans_preuve" in version else (versions[-1].no_evidence if versions
                                                                           else no_evidence)
            versions.append(CriterionVersion(
                date.fromisoformat(str(version["depuis"])), _decision(version),
                (version.get("selon") or {}).get("dernier_evenement"), evidence_now, motif_now, found[2], number,
                "retire" in version))
        return Criterion(raw["id"], raw["article"], raw["titre"], evidence, no_evidence, requirements,
                         self.inherited(raw), tuple(versions))

    def criterion_text(self, raw: Raw, at: tuple) -> tuple[tuple[Path, ...], Template | None, tuple[Requirement, ...]]:
        """A criterion's evidence, motif without evidence and requirements (its first text, or an amendment's)."""
        evidence = (self.path(path, at + ("preuves", i)) for i, path in enumerate(raw.get("preuves", [])))
        requirements = tuple(
            Requirement(self.conditions(r, "si", at + ("exigences", i)), self.conditions(r, "exige", at + ("exigences", i)),
                        self.message(r["motif"], at + ("exigences", i, "motif")))
            for i, r in enumerate(raw.get("exigences") or []))
        no_evidence = raw.get("motif_sans_preuve")
        return (tuple(p for p in evidence if p is not None),
                self.message(no_evidence, at + ("motif_sans_preuve",), ()) if no_evidence else None, requirements)

    def inherited(self, raw: Raw) -> object:
        """The policy a criterion is inherited from (an overlay's copy of its base's, unchanged), else None."""
        if self.base is None:
            return None
        theirs = next((c for c in (self.base.raw.get(SECTION) or {}).get("criteres", []) if c.get("id") == raw["id"]),
                      None)
        if theirs != raw:
            return None
        compiled = next((c for c in self.base.dossier.criteria if c.id == raw["id"]), None) if self.base.dossier else None
        return compiled.source if compiled is not None and compiled.source is not None else self.base

    def control(self, raw: Raw, at: tuple) -> Control:
        finding = self.finding(raw["constat"]) or FindingRef(raw["constat"], "", "", "")
        message = self.message(raw["message"], at + ("message",))
        versions: list[ControlVersion] = []
        for number, version in enumerate(raw.get("versions") or [], 1):     # each states its conditions in full
            where = at + ("versions", number - 1)
            message = self.message(version["message"], where + ("message",)) if "message" in version else message
            versions.append(ControlVersion(
                date.fromisoformat(str(version["depuis"])), _decision(version),
                (version.get("selon") or {}).get("dernier_evenement"), self.conditions(version, "si", where),
                self.conditions(version, "exige", where), message, number, "retire" in version))
        return Control(raw["id"], raw["article"], finding, self.conditions(raw, "si", at),
                       self.conditions(raw, "exige", at), self.message(raw["message"], at + ("message",)),
                       tuple(versions))

    def avis(self, raw: Raw, at: tuple) -> Avis:
        words = raw["libelles"]
        texts: dict[str, Template] = {key: self.text(words[key], names, at + ("libelles", key))
                                      for key, names in AVIS_PLACEHOLDERS.items()}
        wording = AvisWords(
            texts["titre"], texts["candidat"], words["denomination_absente"], texts["instance"], texts["politique"],
            words["sans_criteres"], texts["sens_propose"], texts["sens_motive"], words["sens"]["favorable"],
            words["sens"]["defavorable"], words["criteres_non_satisfaits"], words["criteres_non_appreciables"],
            words["criteres_satisfaits"], words["complet"], texts["incomplet"], words["autres_constats"])
        delay = raw.get("si_defavorable")
        return Avis(raw["article"], wording, self.stated_delay(delay, at + ("si_defavorable",)) if delay else None)

    def stated_delay(self, raw: Raw, at: tuple) -> StatedDelay:
        action = (self.rules.get(raw["regle"]) or {}).get("action") or {}
        parameter = (action.get("echeance") or {}).get("delai")       # a rule without one: checks/dossier.py
        return StatedDelay(raw["cle"], raw["titre"], raw["article"], raw["regle"], str(parameter), action.get("acteur"),
                           self.text(raw["texte"], DEADLINE_PLACEHOLDERS, at + ("texte",)),
                           self.text(raw["date_limite"], DEADLINE_PLACEHOLDERS, at + ("date_limite",)))


def _decision(version: Raw) -> Decision | None:
    decision = version.get("decision") or {}
    return Decision(decision.get("reference"), date.fromisoformat(str(decision["date"])) if decision.get("date")
                    else None) if decision else None


def build_dossier(assembled: Raw, sources: Any, base: Any = None) -> tuple[DossierChecks | None, list[Issue]]:
    """The dossier checks of a schema-valid assembled policy (None: it declares none), and the problems found."""
    raw = assembled.get(SECTION)
    if not raw:
        return None, []
    build = _Builder(assembled, sources, base)
    at = (SECTION,)
    completeness = raw.get("completude")

    def each(key: str, make: Callable[[Raw, tuple], Any]) -> tuple:     # one withdrawn (retire) is kept, not applied
        return tuple(make(item, at + (key, index)) for index, item in enumerate(raw.get(key, [])) if "retire" not in item)

    checks = DossierChecks(
        build.completeness(completeness, at + ("completude",)) if completeness else None,
        each("criteres", build.criterion), each("controles", build.control),
        build.avis(raw["avis"], at + ("avis",)) if raw.get("avis") else None)
    return checks, build.issues
