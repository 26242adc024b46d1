"""An assembled policy -> a checked Policy: schema, then meaning, then the parameters and rules it is made of.

Every problem is collected as an Issue and raised together as one PolicyError.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from ...errors import Issue, PolicyError
from ..checks.facts_paths import facts_path_problems
from ..checks.meaning import check_policy
from ..checks.schema_issues import schema_issues
from ..files.facts_schema import FIELDS, extend_facts_schema, read_facts_schema
from ..files.folder import policy_validator, read_policy_folder
from ..files.schemas import attribute_schema_issues
from ..model.display import unit_titles
from ..model.parameters import DatedValue, Parameter, flatten_tree, parse_amount
from ..model.policy import Policy
from ..model.titles import title_problems
from ..versions.snapshots import snapshot_of
from .dossier import build_dossier
from .elements import build_elements
from .rules import build_rules


def load_policy(directory: str | Path) -> Policy:
    """Load and check one policy folder; raise PolicyError listing every problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PolicyError([Issue("", "dossier de politique introuvable", str(directory))])
    assembled, sources, issues = read_policy_folder(directory)
    snapshot = snapshot_of(directory, sources.documents, sources.rule_documents, issues)
    if issues:
        raise PolicyError(issues)
    return build_policy(directory, assembled, sources, snapshot=snapshot)


def build_policy(directory: Path, assembled: dict, sources, *, base: Policy | None = None, snapshot=None,
                 revision: str | None = None, problems: tuple = ()) -> Policy:
    """Check an assembled policy (schema, then meaning) and build it; `problems` found beforehand are raised with
    the others. An overlay (engine/policy/overlays.py) comes here with its merged content, its base and its own
    revision."""
    found = schema_issues(policy_validator().iter_errors(assembled), sources)
    if found:
        raise PolicyError(found + list(problems))
    # meaning checks need a schema-valid structure
    facts_schema, _, found = read_facts_schema(assembled["politique"]["schema_faits"],
                                               base.directory if base is not None else directory, sources)
    if facts_schema:
        facts_schema, more = extend_facts_schema(facts_schema, assembled.get(FIELDS), sources)
        found += more
    elements, shape_issues = build_elements(assembled, sources)
    found += shape_issues + attribute_schema_issues(assembled, sources) + check_policy(assembled, sources)
    rules, more = build_rules(assembled["regles"], sources)
    found += more + title_problems(rules, {".".join(path) for path in flatten_tree(assembled["parametres"])},
                                   unit_titles(assembled), sources)
    dossier, dossier_issues = build_dossier(assembled, sources, base)
    found += dossier_issues
    if facts_schema:
        found += facts_path_problems(assembled, facts_schema, sources)
    found += list(problems)
    if found:
        raise PolicyError(found)
    policy = Policy(
        id=elements.head.id,
        version=elements.head.version,
        title=elements.head.title,
        directory=directory,
        revision=revision or revision_of(assembled, facts_schema),
        raw=assembled,
        parameters=_parameters(assembled),
        rules=rules,
        facts_schema=facts_schema,
        elements=elements,
        extends=base.id if base is not None else None,
        base=base,
        snapshot=snapshot,
        sources=sources,
        dossier=dossier,
    )
    return policy


def revision_of(assembled: dict, facts_schema: dict) -> str:
    canonical = json.dumps([assembled, facts_schema], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _parameters(assembled: dict) -> dict[str, Parameter]:
    currencies = assembled["politique"]["unites_monetaires"]
    out = {}
    for path, node in flatten_tree(assembled["parametres"]).items():
        values = tuple(
            DatedValue(date.fromisoformat(entry["depuis"]),
                       parse_amount(entry["valeur"]) if node["unite"] in currencies else int(entry["valeur"]),
                       {key: entry[key] for key in ("decision", "correction", "retroactif") if key in entry})
            for entry in node["valeurs"]
        )
        parameter_id = ".".join(path)
        out[parameter_id] = Parameter(parameter_id, node["titre"], node["article"], node["unite"], values)
    return out
