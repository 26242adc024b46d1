"""What the proposal tests share: a scratch git repository serving a copy of the frozen policies (with one case that
states the instruction fee of an application filed in 2027), and the accounts of a board and of a CPNE."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import yaml

from .conftest import ACCOUNT_PASSWORD, POLICIES, ROOT, accounts_file

CASE = ROOT / "tests" / "fixtures" / "proposals" / "c16-frais-gestion-annuels-et-nouvelle-demande.yaml"
PASSWORD = ACCOUNT_PASSWORD
FEE = "frais.instruction"
DECISION = "CA du 20 novembre 2026, délibération 7"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), "-c", "user.name=Tests", "-c", "user.email=tests@example.org",
                           *args], check=True, capture_output=True)
    return done.stdout.decode().strip()


def scratch_repository(folder: Path) -> Path:
    """A git repository with the frozen policies and the 2027 fee case committed: returns its policies folder."""
    root = folder / "depot"
    shutil.copytree(POLICIES, root / "policies")
    shutil.copy(CASE, root / "policies" / "certifpro" / "tests" / CASE.name)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "politiques en service")
    return root / "policies"


def dossiers_file(folder: Path) -> Path:
    """Dossiers to measure an impact on: the case's organisation (a 2027 application) and one filed in 2023 only."""
    facts = yaml.safe_load(CASE.read_text(encoding="utf-8"))["faits"]
    older = json.loads(json.dumps(facts, default=str))
    older["evenements"] = [event for event in older["evenements"] if not str(event["date"]).startswith("2027")]
    target = folder / "dossiers.jsonl"
    target.write_text("\n".join(json.dumps(d, default=str, ensure_ascii=False) for d in (facts, older)) + "\n",
                      encoding="utf-8")
    return target


BOARD = {"marie": ("Marie Durand", ("proposition",), ("certifpro",)),
         "paul": ("Paul Bernard", ("approbation",), ()),
         "claire": ("Claire Petit", ("proposition",), ("cpne_exemple",)),
         "sophie": ("Sophie Lefèvre", ("proposition", "approbation"), ("certifpro",))}


def board_accounts(folder: Path) -> Path:
    """The board's secretary (proposes for certifpro), its president (approves), a CPNE's officer (proposes for its
    overlay only), a board member who both proposes and approves (never her own proposals)."""
    return accounts_file(folder, BOARD, PASSWORD)
