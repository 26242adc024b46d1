"""The engine's tree reads as its architecture: imports flow one way, no circle, small modules, a declared public API,
and no word of a regulation (the policies hold those)."""
from __future__ import annotations
import __future__

import ast
import importlib
import re
import types
from pathlib import Path

import engine

ENGINE = Path(engine.__file__).resolve().parent
# Lower layers first: a package may import its own modules and those of a strictly lower layer, never higher.
LAYERS = {
    "limits": -1,                # the declared limits (engine/limits.py): constants only
    "shipped": -1,               # where the shipped folders are (engine/shipped.py): policies, schemas, examples
    "errors": 0, "yaml_messages": 0, "yaml_c": 0.5, "documents": 1, "formats": 1, "schema_messages": 1, "values": 0.5,
    "fast_schema": 1.5,          # a JSON schema compiled to a yes/no validator (the facts; a policy's schemas checked)
    "wording": 1,
    "compact_json": 0,           # JSON text written by orjson, the bytes json writes (verdict lines, responses, the log)
    "json_plain": 0,             # JSON text read by orjson when the strict reading would give the same (documents.py)
    "suggestions": 1,
    "calendar": 2,
    "policy": 3,
    "evaluation": 4,
    "reports": 5, "batch": 5, "cases": 5,
    "proposals": 5.5,            # proposals of a change: written, checked, approved, published (engine/proposals)
    "service": 6,
    "cli": 7,
}
# Inside engine/policy, one sub-package a job, in the same way: the model and the condition language at the bottom,
# then reading files, versions over git, the checks of a policy, and loading (which runs the checks) on top.
POLICY_LAYERS = {"conditions": 0, "model": 1, "files": 2, "versions": 3, "checks": 4, "loading": 5}
# What an evaluation may read of a policy: the model and the condition language (never a check nor a version).
EVALUATION_READS = {"engine.policy", "engine.policy.model", "engine.policy.conditions"}
LONGEST_MODULE = 320
REGULATION_WORDS = re.compile(r"certifpro|cpne|cpnaa|\brecours\b|habilit|cléa\b", re.IGNORECASE)


def _modules() -> dict[str, Path]:
    found = {}
    for path in ENGINE.rglob("*.py"):
        parts = path.relative_to(ENGINE).with_suffix("").parts
        name = ".".join(("engine",) + (parts[:-1] if parts[-1] == "__init__" else parts))
        found[name] = path
    return found


def _imports(name: str, path: Path) -> set[str]:
    """Every engine module `name` imports, at any depth of its code (lazy imports count too)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names if alias.name.split(".")[0] == "engine"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "engine":
                continue
            out.add(target)
            out |= {f"{target}.{alias.name}" for alias in node.names}
    modules = _modules()
    return {target for target in out if target in modules and target != name}


def _area(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_imports_flow_one_way():
    wrong = []
    for name, path in _modules().items():
        area = _area(name)
        for target in _imports(name, path):
            target_area = _area(target)
            if target_area is None:
                wrong.append(f"{name} imports the public API 'engine'; import the module itself")
            elif area is not None and target_area != area and LAYERS[target_area] >= LAYERS[area]:
                wrong.append(f"{name} ({area}) imports {target} ({target_area}): against the flow")
    assert not wrong, "\n".join(sorted(wrong))


def _policy_part(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 3 and parts[1] == "policy" else None


def test_policy_sub_packages_flow_one_way():
    wrong = []
    for name, path in _modules().items():
        part = _policy_part(name)
        for target in _imports(name, path):
            target_part = _policy_part(target)
            if part and target_part and target_part != part and POLICY_LAYERS[target_part] >= POLICY_LAYERS[part]:
                wrong.append(f"{name} ({part}) imports {target} ({target_part}): against the flow")
    assert not wrong, "\n".join(sorted(wrong))


def test_policy_holds_sub_packages_only():
    loose = [path.name for path in (ENGINE / "policy").glob("*.py") if path.name != "__init__.py"]
    assert not loose, loose
    assert {path.name for path in (ENGINE / "policy").iterdir() if path.is_dir() and path.name != "__pycache__"} \
        == set(POLICY_LAYERS)


def test_an_evaluation_reads_only_the_model_of_a_policy():
    wrong = [f"{name} imports {target}"
             for name, path in _modules().items() if _area(name) == "evaluation"
             for target in _imports(name, path)
             if _area(target) == "policy" and ".".join(target.split(".")[:3]) not in EVALUATION_READS]
    assert not wrong, "\n".join(sorted(wrong))


def test_every_area_has_a_layer():
    assert {_area(name) for name in _modules()} - {None} <= set(LAYERS)


def test_no_import_circle():
    graph = {name: _imports(name, path) for name, path in _modules().items()}
    # a package's __init__ re-exports its modules; a module importing its own package's API is not a circle
    for name, imported in graph.items():
        graph[name] = {t for t in imported if not name.startswith(t + ".")}
    state: dict[str, int] = {}
    circles = []

    def visit(node, stack):
        state[node] = 1
        for target in graph[node]:
            if state.get(target) == 1:
                circles.append(" -> ".join(stack[stack.index(target):] + [target]))
            elif target not in state:
                visit(target, stack + [target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not circles, "\n".join(circles)


def test_modules_stay_small():
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST_MODULE}
    assert not long, long


def _packages() -> dict[str, Path]:
    return {name: path for name, path in _modules().items() if path.name == "__init__.py"}


def _written_all(tree: ast.Module) -> list[str] | None:
    """`__all__` as written: a literal list of strings (what static tools read), else None."""
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) \
            else []
        if any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
            value = node.value
            if isinstance(value, ast.List) and all(isinstance(item, ast.Constant) and isinstance(item.value, str)
                                                   for item in value.elts):
                return [item.value for item in value.elts]
            return None
    return []


def _public_names(tree: ast.Module) -> set[str]:
    """The public names an __init__.py defines or imports at its top level (a plain `import x` of a module and
    `from __future__` aside): what `from package import *` would give without an `__all__`."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            names |= {alias.asname or alias.name for alias in node.names}
    return {name for name in names if not name.startswith("_")}


def test_every_package_declares_what_it_exports_as_a_literal_list():
    """`__all__` is a literal list (never `sorted([...])`, which static tools cannot read: ruff sorts it, RUF022)
    naming exactly the public names its __init__.py defines or imports, once each (httpx's test_exported_members)."""
    wrong = []
    for name, path in sorted(_packages().items()):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        written, public = _written_all(tree), _public_names(tree)
        if written is None:
            wrong.append(f"{name}: __all__ is not a literal list of names")
            continue
        if len(set(written)) != len(written):
            wrong.append(f"{name}: __all__ names {sorted(n for n in written if written.count(n) > 1)} twice")
        if set(written) != public:
            wrong.append(f"{name}: __all__ lacks {sorted(public - set(written))}, names in excess "
                         f"{sorted(set(written) - public)}")
    assert not wrong, "\n".join(wrong)


def test_every_package_exports_its_all_and_nothing_else():
    """At run time, a package's public attributes (its sub-modules aside) are its `__all__`: nothing is exported
    without being declared, nothing declared is missing."""
    wrong = []
    for name in sorted(_packages()):
        package = importlib.import_module(name)
        exported = {attr for attr, value in vars(package).items()
                    if not attr.startswith("_") and not isinstance(value, (types.ModuleType, __future__._Feature))}
        declared = set(getattr(package, "__all__", []))
        if exported != declared:
            wrong.append(f"{name}: exports {sorted(exported - declared)} undeclared, declares {sorted(declared - exported)} "
                         "it lacks")
    assert not wrong, "\n".join(wrong)


def test_the_public_api_has_the_entry_points():
    assert {"evaluate", "load_policies", "load_policy", "FactsError", "PolicyError"} <= set(engine.__all__)


def test_the_engine_holds_no_word_of_a_regulation():
    found = [f"{path.relative_to(ENGINE.parent)}:{number}: {line.strip()}"
             for path in _modules().values()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if REGULATION_WORDS.search(line)]
    assert not found, "\n".join(found)
