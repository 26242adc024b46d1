"""Loading a policy folder: read its YAML files, check them (schema, then meaning), and build the Policy.

Every problem is collected as an Issue(file, line, path, message) and raised together as one PolicyError.
A Policy is immutable once built; its revision is a hash of its canonical content.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from jsonschema import Draft202012Validator

from .calendar import Territory, WorkingDayCalendar, holiday_names, public_holidays
from .deadlines import Conventions
from .documents import Document, parse_yaml_file, read_text
from .errors import Issue, PolicyError, json_path
from .formats import FORMAT_CHECKER
from .parameters import DatedValue, Duration, Parameter, flatten_tree, parse_amount
from .vocabulary import RULE_EFFECTS

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"
FILES = ("politique", "articles", "calendrier", "evenements", "parametres", "statuts", "constats")
OPTIONAL_FILES = ("dossier",)    # a policy may do without these (engine/dossier.py)
COUNT_UNIT = "nombre"


def schemas_dir() -> Path:
    return SCHEMAS_DIR


@dataclass(frozen=True)
class Rule:
    id: str
    article: str
    title: str
    when: dict
    effect: str          # one of RULE_EFFECTS
    spec: dict           # the effect's own block
    file: str
    line: int | None


@dataclass
class Policy:
    """A loaded, checked policy: what an evaluation needs, prepared once."""

    id: str
    version: str
    title: str
    directory: Path
    revision: str
    data: dict
    parameters: dict[str, Parameter]
    rules: tuple[Rule, ...]
    facts_schema: dict
    extends: str | None = None
    _calendars: dict = field(default_factory=dict, repr=False)

    # --- what the rest of the engine reads -------------------------------------------------------
    @property
    def instances(self) -> list[str]:
        return self.data["politique"]["instances"]

    @property
    def event_types(self) -> dict:
        return self.data["evenements"]["types"]

    @cached_property
    def planned_event_types(self) -> frozenset:
        return frozenset(name for name, spec in self.event_types.items() if spec.get("planifie"))

    @property
    def statuses(self) -> dict:
        return self.data["statuts"]

    @property
    def findings(self) -> dict:
        return self.data["constats"]

    @property
    def currencies(self) -> dict:
        return self.data["politique"]["unites_monetaires"]

    @cached_property
    def conventions(self) -> Conventions:
        raw = self.data["calendrier"]["conventions"]
        return Conventions(raw["avant_jours_francs"], raw["report_jour_non_ouvre"])

    @cached_property
    def year_range(self) -> tuple[int, int]:
        years = self.data["calendrier"]["annees"]
        return years["debut"], years["fin"]

    def calendar(self, territory: str) -> WorkingDayCalendar:
        """The working-day calendar of a territory, built on first use and kept."""
        found = self._calendars.get(territory)
        if found is None:
            spec = self.data["calendrier"]["territoires"][territory]
            first, last = self.year_range
            found = WorkingDayCalendar(territory, public_holidays(_territory(territory, spec), first, last), first, last)
            self._calendars[territory] = found
        return found

    def duration(self, parameter_id: str, day: date) -> Duration | None:
        parameter = self.parameters[parameter_id]
        amount = parameter.at(day)
        if amount is None:
            return None
        counting = self.data["calendrier"]["unites_de_duree"][parameter.unit]["compte"]
        return Duration(parameter.unit, counting, amount)

    def parameters_at(self, day: date) -> list[dict]:
        """Every parameter's value in force on day, with its unit and article (None before its first value)."""
        out = []
        for parameter in self.parameters.values():
            entry = parameter.entry_at(day)
            value = entry.value if entry else None
            out.append({
                "id": parameter.id,
                "titre": parameter.title,
                "valeur": str(value) if value is not None and parameter.unit in self.currencies else value,
                "unite": parameter.unit,
                "article": parameter.article,
                "depuis": entry.since.isoformat() if entry else None,
            })
        return out

    def describe(self) -> dict:
        return {"id": self.id, "version": self.version, "revision": self.revision}


class PolicySet:
    """Every policy of a folder, by id and by the instance it answers for."""

    def __init__(self, policies: list[Policy]):
        self._by_id = {policy.id: policy for policy in policies}
        self._by_instance = {instance: policy for policy in policies for instance in policy.instances}

    def ids(self) -> list[str]:
        return sorted(self._by_id)

    def get(self, policy_id: str) -> Policy:
        return self._by_id[policy_id]

    def for_instance(self, instance: str) -> Policy | None:
        return self._by_instance.get(instance)

    def instances(self) -> list[str]:
        return sorted(self._by_instance)

    def __iter__(self):
        return iter(self._by_id[key] for key in self.ids())

    def __len__(self) -> int:
        return len(self._by_id)


# --- loading -----------------------------------------------------------------------------------------
_POLICY_VALIDATOR = None


def _policy_validator() -> Draft202012Validator:
    global _POLICY_VALIDATOR
    if _POLICY_VALIDATOR is None:
        schema = json.loads((SCHEMAS_DIR / "policy.schema.json").read_text(encoding="utf-8"))
        _POLICY_VALIDATOR = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    return _POLICY_VALIDATOR


class _Sources:
    """Where each part of the assembled policy came from, to turn a JSON path into file:line."""

    def __init__(self):
        self.documents: dict[str, Document] = {}
        self.rule_origins: list[tuple[Document, int]] = []

    def locate(self, path: tuple) -> tuple[str | None, int | None]:
        if not path:
            return None, None
        if path[0] == "regles" and len(path) > 1 and isinstance(path[1], int) and path[1] < len(self.rule_origins):
            document, index = self.rule_origins[path[1]]
            return document.source, document.line_of((index,) + tuple(path[2:]))
        document = self.documents.get(path[0])
        if document is None:
            return None, None
        return document.source, document.line_of(path[1:])

    def issue(self, path: tuple, message: str) -> Issue:
        file, line = self.locate(path)
        return Issue(json_path(path), message, file, line)


def read_policy_folder(directory: Path) -> tuple[dict, _Sources, list[Issue]]:
    """Parse every file of a policy folder into one assembled dict (not yet checked)."""
    sources = _Sources()
    issues: list[Issue] = []
    assembled: dict = {}
    for name in FILES + OPTIONAL_FILES:
        path = directory / f"{name}.yaml"
        if not path.exists():
            if name not in OPTIONAL_FILES:
                issues.append(Issue("", f"missing policy file {name}.yaml", str(path)))
            continue
        document = parse_yaml_file(path, issues)
        if document is not None:
            sources.documents[name] = document
            assembled[name] = document.data
    rules: list = []
    rule_files = sorted((directory / "regles").glob("*.yaml")) if (directory / "regles").is_dir() else []
    if not rule_files:
        issues.append(Issue("", "no rule file (regles/*.yaml)", str(directory / "regles")))
    for path in rule_files:
        document = parse_yaml_file(path, issues)
        if document is None:
            continue
        if not isinstance(document.data, list):
            issues.append(Issue("", "a rule file holds a list of rules", document.source, 1))
            continue
        for index, rule in enumerate(document.data):
            rules.append(rule)
            sources.rule_origins.append((document, index))
    assembled["regles"] = rules
    return assembled, sources, issues



def load_policy(directory: str | Path) -> Policy:
    """Load and check one policy folder; raise PolicyError listing every problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PolicyError([Issue("", "no such policy folder", str(directory))])
    assembled, sources, issues = read_policy_folder(directory)
    if issues:
        raise PolicyError(issues)
    return build_policy(directory, assembled, sources)


def build_policy(directory: Path, assembled: dict, sources, *, extends: str | None = None,
                 revision: str | None = None, problems: tuple = ()) -> Policy:
    """Check an assembled policy (schema, then meaning) and build it; `problems` found beforehand are raised with
    the others. An overlay (engine/overlay.py) comes here with its merged content and its own revision."""
    schema_issues = [
        sources.issue(tuple(error.absolute_path), error.message)
        for error in _policy_validator().iter_errors(assembled)
    ]
    if schema_issues:
        raise PolicyError(schema_issues + list(problems))
    from .policy_checks import check_policy  # meaning checks need a schema-valid structure

    facts_schema, found = _read_facts_schema(directory, assembled, sources)
    found += check_policy(assembled, sources) + list(problems)
    if found:
        raise PolicyError(found)
    parameters = _parameters(assembled)
    rules = tuple(_rules(assembled, sources))
    policy = Policy(
        id=assembled["politique"]["id"],
        version=str(assembled["politique"]["version"]),
        title=assembled["politique"]["titre"],
        directory=directory,
        revision=revision or revision_of(assembled, facts_schema),
        data=assembled,
        parameters=parameters,
        rules=rules,
        facts_schema=facts_schema,
        extends=extends,
    )
    return policy


def load_policies(directory: str | Path) -> PolicySet:
    """Every policy folder under directory (each subfolder holding a politique.yaml)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PolicyError([Issue("", "no such policies folder", str(directory))])
    folders = sorted(path.parent for path in directory.glob("*/politique.yaml"))
    if (directory / "politique.yaml").exists():
        folders = [directory]
    if not folders:
        raise PolicyError([Issue("", "no policy here (no */politique.yaml)", str(directory))])
    from .overlay import extended_policy, load_overlays

    policies, issues = [], []
    for folder in folders:
        try:
            if extended_policy(folder) is None:
                policies.append(load_policy(folder))
        except PolicyError as error:
            issues.extend(error.issues)
    overlays, problems = load_overlays([f for f in folders if extended_policy(f) is not None], policies, directory)
    policies += overlays
    issues += problems
    seen: dict[str, str] = {}
    for policy in policies:
        for instance in policy.instances:
            if instance in seen:
                issues.append(Issue("politique.instances", f"instance '{instance}' is served by both "
                                    f"'{seen[instance]}' and '{policy.id}'", str(policy.directory / "politique.yaml")))
            seen[instance] = policy.id
    if issues:
        raise PolicyError(issues)
    return PolicySet(policies)


def revision_of(assembled: dict, facts_schema: dict) -> str:
    canonical = json.dumps([assembled, facts_schema], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _read_facts_schema(directory: Path, assembled: dict, sources: _Sources) -> tuple[dict, list[Issue]]:
    path = (directory / assembled["politique"]["schema_faits"]).resolve()
    where = ("politique", "schema_faits")
    text, problems = read_text(path)
    if text is None:
        return {}, [sources.issue(where, f"facts schema not found: {path}")]
    try:
        schema = json.loads(text)
        Draft202012Validator.check_schema(schema)
    except (json.JSONDecodeError, Exception) as exc:  # SchemaError or JSON syntax: both make it unusable
        return {}, [sources.issue(where, f"facts schema {path} is not a valid JSON Schema: {exc}")]
    return schema, []


def _territory(name: str, spec: dict) -> Territory:
    return Territory(name, spec["pays"], spec.get("subdivision"), tuple(spec.get("exclure", ())),
                     tuple(spec.get("ajouter", ())))


def territory_problems(name: str, spec: dict, years: tuple[int, int]) -> list[str]:
    """Check a territory against the holiday library: known country/subdivision, and names it can exclude."""
    territory = _territory(name, spec)
    try:
        known = holiday_names(territory, years[0], min(years[0] + 10, years[1]))
    except NotImplementedError as exc:
        return [f"unknown country or subdivision: {exc}"]
    return [f"no holiday named '{name}' in this calendar (known: {', '.join(sorted(known))})"
            for name in territory.removed if name not in known]


def _parameters(assembled: dict) -> dict[str, Parameter]:
    currencies = assembled["politique"]["unites_monetaires"]
    out = {}
    for path, node in flatten_tree(assembled["parametres"]).items():
        values = tuple(
            DatedValue(date.fromisoformat(entry["depuis"]),
                       parse_amount(entry["valeur"]) if node["unite"] in currencies else int(entry["valeur"]),
                       {key: entry[key] for key in ("decision", "correction") if key in entry})
            for entry in node["valeurs"]
        )
        parameter_id = ".".join(path)
        out[parameter_id] = Parameter(parameter_id, node["titre"], node["article"], node["unite"], values)
    return out


def _rules(assembled: dict, sources: _Sources):
    for index, raw in enumerate(assembled["regles"]):
        effect = next(name for name in RULE_EFFECTS if name in raw)
        file, line = sources.locate(("regles", index))
        yield Rule(raw["id"], raw["article"], raw["titre"], raw["quand"], effect, raw[effect], file, line)
