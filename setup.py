"""The build step that makes the wheel the product: the repository's top-level policies/, schemas/ and examples/
are copied into the package (engine/_shipped/<name>, found with importlib.resources: engine/shipped.py). Everything
else is declared in pyproject.toml. An editable install copies nothing: the package reads the source tree's folders."""
from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("policies", "schemas", "examples")


class BuildWithData(build_py):
    """build_py, then the shipped folders into the built package (never in editable mode: nothing is built then)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in SHIPPED:
            target = Path(self.build_lib) / "engine" / "_shipped" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(HERE / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildWithData})
