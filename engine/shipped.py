"""The folders the engine ships with: the policies, the JSON schemas and the example dossiers.

In an installed distribution (a wheel) they are data of the package, ``engine/_shipped/<name>``, copied there from
the repository's top-level folders at build time (setup.py); they are found with importlib.resources. In the source
tree (an editable install: the tests, CI) the package holds no copy and they are the repository's own folders, next
to ``engine/``. ``--policies`` and ``CLEA_POLICIES`` still choose another policy folder (engine/cli/common.py,
engine/service/settings.py).
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = "engine"
INSIDE = "_shipped"
FOLDERS = ("policies", "schemas", "examples")


def shipped(name: str) -> Path:
    """The folder `name` (one of FOLDERS) as this installation has it: inside the package when built into it, else
    the source tree's; the packaged path when neither exists, so that a message names where it was looked for."""
    package = Path(str(files(PACKAGE)))
    inside = package / INSIDE / name
    source = package.parent / name
    if not inside.is_dir() and source.is_dir() and (package.parent / "pyproject.toml").is_file():
        return source
    return inside


def policies_folder() -> Path:
    return shipped("policies")


def schemas_folder() -> Path:
    return shipped("schemas")


def examples_folder() -> Path:
    return shipped("examples")
