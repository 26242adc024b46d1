"""An assembled policy -> a checked Policy: schema, then meaning, then the parameters and rules it is made of.

Every problem is collected as an Issue and raised together as one PolicyError.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from ..errors import Issue, PolicyError
from .checks import check_policy
from .folder import Sources, policy_validator, read_policy_folder
from .model import Policy, Rule
from .parameters import DatedValue, Parameter, flatten_tree, parse_amount
from .schemas import attribute_schema_issues, read_facts_schema
from .vocabulary import RULE_EFFECTS


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
    the others. An overlay (engine/policy/overlays.py) comes here with its merged content and its own revision."""
    schema_issues = [
        sources.issue(tuple(error.absolute_path), error.message)
        for error in policy_validator().iter_errors(assembled)
    ]
    if schema_issues:
        raise PolicyError(schema_issues + list(problems))
    # meaning checks need a schema-valid structure
    facts_schema, found = read_facts_schema(directory, assembled, sources)
    found += attribute_schema_issues(assembled, sources) + check_policy(assembled, sources) + list(problems)
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
        sources=sources,
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
                       {key: entry[key] for key in ("decision", "correction") if key in entry})
            for entry in node["valeurs"]
        )
        parameter_id = ".".join(path)
        out[parameter_id] = Parameter(parameter_id, node["titre"], node["article"], node["unite"], values)
    return out


def _rules(assembled: dict, sources: Sources):
    for index, raw in enumerate(assembled["regles"]):
        effect = next(name for name in RULE_EFFECTS if name in raw)
        file, line = sources.locate(("regles", index))
        yield Rule(raw["id"], raw["article"], raw["titre"], raw["quand"], effect, raw[effect], file, line)
