"""A policy folder read as plain data, without checking it: what `policy diff` and the history check compare.

Reading without the schema lets an old revision be compared even when the schema has moved on since. Each part
keeps where it was written (file, line) so the history check can point at the line to fix.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...documents import Document
from ...errors import Issue, PolicyError
from ...schema_messages import shown, type_name
from ..files.reading import read_policy_file
from ..model.parameters import flatten_tree

MAIN_FILE = "politique.yaml"
RULES_FOLDER = "regles"
CASES_FOLDER = "tests"      # the policy's cases (engine/cases/reading.py): their withdrawal is checked too
CRITERIA_KEY = "criteres"


@dataclass
class Located:
    data: dict          # a parameter's node, a rule, a criterion: mappings (read_snapshot keeps only those)
    document: Document
    path: tuple

    def line(self, *more) -> int | None:
        return self.document.line_of(self.path + tuple(more))

    @property
    def file(self) -> str:
        return self.document.source


@dataclass
class Snapshot:
    id: str
    folder: Path
    politique: dict
    files: dict[str, object] = field(default_factory=dict)          # file stem -> data (rules apart)
    parameters: dict[str, Located] = field(default_factory=dict)    # dotted id (the folder is the namespace) -> its node
    rules: dict[str, Located] = field(default_factory=dict)
    criteria: dict[str, Located] = field(default_factory=dict)
    controls: dict[str, Located] = field(default_factory=dict)      # dossier.controles by id
    pieces: dict[str, Located] = field(default_factory=dict)        # dossier.completude.pieces by id
    findings: dict[str, Located] = field(default_factory=dict)      # the catalogue's findings (their severity)
    events: dict[str, Located] = field(default_factory=dict)        # the event catalogue's types (evenements.types)
    period: Located | None = None                                   # statuts.periode
    conventions: Located | None = None                              # calendrier.conventions
    territories: dict[str, Located] = field(default_factory=dict)   # calendrier.territoires
    duration_units: dict[str, Located] = field(default_factory=dict)  # calendrier.unites_de_duree (how each counts)
    base: Snapshot | None = None                                  # the policy it extends, when read with it
    cases: dict[str, Located] | None = None     # tests/*.yaml by file name; None: not read (a set in service)
    id_line: int | None = None

    @property
    def version(self) -> str:
        return str(self.politique.get("version", ""))

    @property
    def extends(self) -> str | None:
        return self.politique.get("etend")

    def inherit(self, base: Snapshot) -> None:
        """An overlay names only what it changes: a parameter's title, article and unit come from its base (its dated
        values stay its own; they merge with the base's by date when the policy is loaded)."""
        self.base = base
        for parameter_id, located in self.parameters.items():
            inherited = base.parameters.get(parameter_id)
            if inherited is not None and isinstance(located.data, dict):
                located.data = {**inherited.data, **located.data}


def read_snapshots(directory: Path) -> dict[str, Snapshot]:
    """Every policy folder under directory (or directory itself), by policy id. Raises PolicyError on unreadable YAML
    or on two folders with the same id."""
    if (directory / MAIN_FILE).exists():
        folders = [directory]
    else:
        folders = sorted(path.parent for path in directory.glob(f"*/{MAIN_FILE}"))
    issues: list[Issue] = []
    found = [snapshot for folder in folders if (snapshot := read_snapshot(folder, issues)) is not None]
    issues += duplicate_ids([(snapshot.id, snapshot.folder, snapshot.id_line, snapshot.extends) for snapshot in found])
    if issues:
        raise PolicyError(issues)
    return link(found)


def link(snapshots: list[Snapshot]) -> dict[str, Snapshot]:
    """By id, each overlay given its base (for the title, article and unit of the parameters it names)."""
    out = {snapshot.id: snapshot for snapshot in snapshots}
    for snapshot in out.values():
        base = out.get(snapshot.extends) if snapshot.extends else None
        if base is not None and base is not snapshot:
            snapshot.inherit(base)
    return out


def duplicate_ids(found: list[tuple[str, Path, int | None, str | None]]) -> list[Issue]:
    """Two policy folders with one id: one would silently hide the other (and judge its dossiers). Each folder of a
    clash is named, with the others. found: (id, folder, line of the id, the id it extends)."""
    folders: dict[str, list[Path]] = {}
    for policy_id, folder, _, _ in found:
        folders.setdefault(policy_id, []).append(folder)
    issues = []
    for policy_id, folder, line, extends in found:
        others = [str(other) for other in folders[policy_id] if other != folder]
        if not others:
            continue
        own = " (une extension a son propre id, jamais celui de la politique qu'elle étend)" if extends == policy_id else ""
        issues.append(Issue("politique.id", f"l'id '{policy_id}' est aussi celui de {', '.join(others)} : deux "
                            "politiques ne peuvent avoir le même id, l'une masquerait l'autre et jugerait ses dossiers ; "
                            f"donnez à chacune un id qui lui est propre{own}", str(folder / MAIN_FILE), line))
    return issues


def read_snapshot(folder: Path, issues: list[Issue]) -> Snapshot | None:
    documents: dict[str, Document] = {}
    for path in sorted(folder.glob("*.yaml")):
        document = read_policy_file(path, issues)
        if document is not None:
            documents[path.stem] = document
    rule_documents = []
    for path in sorted((folder / RULES_FOLDER).glob("*.yaml")):
        document = read_policy_file(path, issues, within=folder)
        if document is not None:
            rule_documents.append(document)
    snapshot = snapshot_of(folder, documents, rule_documents, issues)
    if snapshot is not None:
        snapshot.cases = read_cases(folder)
    return snapshot


def read_cases(folder: Path) -> dict[str, Located]:
    """The policy's case files that parse as mappings, by file name (a malformed one is `clea test`'s to report)."""
    found: dict[str, Located] = {}
    for path in sorted((folder / CASES_FOLDER).glob("*.yaml")):
        document = read_policy_file(path, [], within=folder)
        if document is not None and isinstance(document.data, dict):
            found[path.name] = Located(document.data, document, ())
    return found


def snapshot_of(folder: Path, documents: dict[str, Document], rule_documents: list[Document],
                issues: list[Issue]) -> Snapshot | None:
    """A snapshot of documents already parsed (by read_snapshot, or by the loader on its way)."""
    main = documents.get("politique")
    if main is None or not isinstance(main.data, dict) or not isinstance(main.data.get("id"), str):
        if main is not None and isinstance(main.data, dict) and main.data.get("id") is not None:
            issues.append(Issue("politique.id", "l'id d'une politique est un nom (minuscules, chiffres et _, par "
                                f"exemple id: ma_politique), pas {type_name(main.data['id'])} ({shown(main.data['id'])})",
                                str(folder / MAIN_FILE), main.line_of(("id",))))
        else:
            issues.append(Issue("politique.id", "une politique a un id (politique.yaml : id: …)", str(folder / MAIN_FILE)))
        return None
    snapshot = Snapshot(main.data["id"], folder, main.data, {stem: doc.data for stem, doc in documents.items()},
                        id_line=main.line_of(("id",)))
    parameters = documents.get("parametres")
    if parameters is not None and isinstance(parameters.data, dict):
        for path, node in flatten_tree(parameters.data).items():
            snapshot.parameters[".".join(path)] = Located(node, parameters, path)
    findings = documents.get("constats")
    if findings is not None and isinstance(findings.data, dict):
        snapshot.findings = {str(key): Located(spec, findings, (key,)) for key, spec in findings.data.items()
                             if isinstance(spec, dict)}
    catalogue = documents.get("evenements")
    if catalogue is not None and isinstance(catalogue.data, dict) and isinstance(catalogue.data.get("types"), dict):
        snapshot.events = {str(key): Located(spec, catalogue, ("types", key))
                           for key, spec in catalogue.data["types"].items() if isinstance(spec, dict)}
    statuses = documents.get("statuts")
    if statuses is not None and isinstance(statuses.data, dict) and isinstance(statuses.data.get("periode"), dict):
        snapshot.period = Located(statuses.data["periode"], statuses, ("periode",))
    dossier = documents.get("dossier")
    if dossier is not None and isinstance(dossier.data, dict) and isinstance(dossier.data.get("controles"), list):
        snapshot.controls = {str(spec["id"]): Located(spec, dossier, ("controles", index))
                             for index, spec in enumerate(dossier.data["controles"])
                             if isinstance(spec, dict) and "id" in spec}
    completeness = dossier.data.get("completude") if dossier is not None and isinstance(dossier.data, dict) else None
    if dossier is not None and isinstance(completeness, dict) and isinstance(completeness.get("pieces"), list):
        snapshot.pieces = {str(spec["id"]): Located(spec, dossier, ("completude", "pieces", index))
                           for index, spec in enumerate(completeness["pieces"]) if isinstance(spec, dict) and "id" in spec}
    calendar = documents.get("calendrier")
    if calendar is not None and isinstance(calendar.data, dict) and isinstance(calendar.data.get("conventions"), dict):
        snapshot.conventions = Located(calendar.data["conventions"], calendar, ("conventions",))
    if calendar is not None and isinstance(calendar.data, dict) and isinstance(calendar.data.get("territoires"), dict):
        snapshot.territories = {name: Located(node, calendar, ("territoires", name))
                                for name, node in calendar.data["territoires"].items() if isinstance(node, dict)}
    if calendar is not None and isinstance(calendar.data, dict) and isinstance(calendar.data.get("unites_de_duree"), dict):
        snapshot.duration_units = {name: Located(node, calendar, ("unites_de_duree", name))
                                   for name, node in calendar.data["unites_de_duree"].items() if isinstance(node, dict)}
    for document in documents.values():
        if isinstance(document.data, dict) and CRITERIA_KEY in document.data:
            _collect(document, document.data[CRITERIA_KEY], (CRITERIA_KEY,), snapshot.criteria)
    for document in rule_documents:
        if isinstance(document.data, list):
            for index, rule in enumerate(document.data):
                if isinstance(rule, dict) and "id" in rule:
                    snapshot.rules[str(rule["id"])] = Located(rule, document, (index,))
    return snapshot


def _collect(document: Document, data, path: tuple, into: dict) -> None:
    """Criteria (under a `criteres` key of any file) are a list of specs with an `id`, or a mapping id -> spec."""
    if isinstance(data, dict):
        for key, spec in data.items():
            if isinstance(spec, dict):
                into[key] = Located(spec, document, path + (key,))
    elif isinstance(data, list):
        for index, spec in enumerate(data):
            if isinstance(spec, dict) and "id" in spec:
                into[str(spec["id"])] = Located(spec, document, path + (index,))


