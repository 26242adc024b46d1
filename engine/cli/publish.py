"""`clea policy publish --decision TEXT [DIR]`: record that the committed policies are the ones in force.

Each policy folder's journal (`publications.yaml`, engine/policy/versions/publications.py) gets an entry naming the
commit, the policy's revision, the day and the decision. The policies must validate against their previous
publication and be committed (what is published is a commit, which the history check reads back); commit the
journal afterwards. A policy whose revision is already the last published one is left as it is.
"""
from __future__ import annotations

import subprocess

from ..errors import Issue, PolicyError
from ..evaluation import today_in_paris
from ..policy import load_policies
from ..policy.files.folder import JOURNAL
from ..policy.versions.publications import append_publication, read_journal
from ..policy.versions.snapshots import CASES_FOLDER
from ..policy.versions.sources import git_location
from .common import fail, iso_date, policies_dir


def add_publish_parser(policy_commands) -> None:
    publish = policy_commands.add_parser(
        "publish", help="enregistrer la publication des politiques committées (leur journal publications.yaml)",
        description="Ajoute au journal de chaque politique (publications.yaml) le commit publié, sa révision, le jour "
                    "et la décision. Les politiques doivent être valides et committées ; committez ensuite le journal. "
                    "validate, clea test, le démarrage du service et chaque rechargement comparent avec la dernière "
                    "publication.",
        epilog="Codes de sortie : 0 publiées (ou déjà publiées) ; 1 politiques invalides ou non committées ; "
               "2 hors d'un dépôt git, ou argument invalide.")
    publish.add_argument("dir", nargs="?", metavar="DOSSIER", help="dossier des politiques (par défaut : celui du "
                                                                   "projet)")
    publish.add_argument("--decision", required=True, metavar="TEXTE",
                         help="la décision qui les met en vigueur (l'organe qui l'a prise, sa date, son numéro)")
    publish.add_argument("--policy", metavar="ID", help="une seule politique (par défaut : toutes)")
    publish.add_argument("--date", type=iso_date, metavar="AAAA-MM-JJ", help="jour de la publication (par défaut : "
                                                                             "aujourd'hui à Paris)")
    publish.set_defaults(handler=_publish)


def _publish(args, stdout, stderr) -> int:
    folder = policies_dir(args.dir)
    location = git_location(folder)
    if location is None:
        return fail(stderr, 2, [Issue("DOSSIER", f"{folder} n'est pas dans un dépôt git : une publication nomme le "
                                      "commit publié ; committez les politiques dans un dépôt")])
    root = location[0]
    day = args.date or today_in_paris()
    if not args.decision.strip():
        return fail(stderr, 2, [Issue("--decision", "nommez la décision qui publie (l'organe qui l'a prise, sa date)")])
    try:
        policies = load_policies(folder, today=day, published=True)
    except PolicyError as error:
        return fail(stderr, 1, error.issues, "rien n'est publié : corrigez d'abord ces problèmes")
    head = _git_out(root, "rev-parse", "HEAD")
    selected = [policy for policy in policies if args.policy in (None, policy.id)]
    if head is None or not selected:
        return fail(stderr, 2, [Issue("--policy" if head else "DOSSIER", "rien à publier : aucune politique, ou "
                                      "aucun commit")])
    problems = []
    for policy in selected:
        dirty = [line for line in (_git_out(root, "status", "--porcelain", "--", str(policy.directory)) or "")
                 .splitlines() if not line.endswith(JOURNAL)]
        if dirty:
            problems.append(Issue(str(policy.directory), f"{policy.id} a des changements non committés "
                                  f"({len(dirty)} fichier(s)) : ce qui est publié est un commit ; committez-les, "
                                  "puis publiez"))
    if problems:
        return fail(stderr, 1, problems, "rien n'est publié")
    for policy in selected:
        published, _ = read_journal(policy.directory)
        if published and published[-1].revision == policy.revision and _same_cases(root, published[-1].commit, head,
                                                                                    policy.directory):
            stdout.write(f"déjà publiée : {policy.id} {policy.version} {policy.revision}\n")
            continue
        append_publication(policy.directory, head, policy.revision, day.isoformat(), args.decision)
        stdout.write(f"publiée : {policy.id} {policy.version} {policy.revision} (commit {head[:12]}, "
                     f"{args.decision}) ; committez {policy.directory / JOURNAL}\n")
    return 0


def _same_cases(root, published: str, head: str, folder) -> bool:
    """The policy's cases (tests/) as they were at its last publication: a case withdrawn is a change to publish
    (engine/policy/versions/case_history.py), though the policy's revision does not count the cases."""
    prefix = _git_out(folder, "rev-parse", "--show-prefix") or ""
    trees = [_git_out(root, "rev-parse", f"{commit}:{prefix}{CASES_FOLDER}") for commit in (published, head)]
    return trees[0] == trees[1]


def _git_out(root, *args: str) -> str | None:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False, timeout=60)
    return done.stdout.decode("utf-8").strip() if done.returncode == 0 else None
