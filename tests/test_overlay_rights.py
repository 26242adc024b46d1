"""Overlays stay additive in effect (issue 19): through what its base lets it replace (its recourse rules, its own
delays), an extension may not shorten or remove the candidate's recourse below the base's (the delay in force by
date), nor raise a finding that makes the organisation non conforming for the Instance's own delay. Each edit is
written in a scratch git repository (published first) and refused by validate, at the service's start and at its
reload, at its line, with a sentence citing the articles."""
from __future__ import annotations

from pathlib import Path

import pytest
from scratch_repo import clea, git, published_repository

from engine.errors import PolicyError
from engine.service.app import load_checked

POLICIES = Path(__file__).resolve().parent / "fixtures" / "policies"
TODAY = "2026-11-27"
OWN_DELAY = ("recours:\n  delai_depot:\n    valeurs:\n    - {depuis: 2019-07-01, valeur: 30}\n"
             "    - depuis: 2027-03-01\n      valeur: DAYS\n"
             "      decision: {date: 2027-01-15, reference: \"CPNE Exemple du 15 janvier 2027\"}\n")
RIGHT = ("- id: recours.depot\n  article: III.7\n"
         "  titre: Le candidat peut former un recours dans un délai de {recours.delai_depot} à compter de la "
         "notification du refus\n"
         "  quand: {evenement: decision_notifiee, si: {decision: refus}}\n"
         "  action:\n    id: deposer_recours\n    acteur: candidat\n    nature: faculte\n"
         "    echeance: {delai: recours.delai_depot}\n    accomplie_par: {evenement: recours_depose}\n")
REMINDER = ("- id: instruction.relance_convocation\n  article: III.3\n"
            "  titre: La CPNE Exemple relance la convocation à l'audition\n"
            "  quand: {evenement: audition}\n"
            "  action:\n    id: relancer_convocation\n    acteur: instance\n    nature: obligation\n"
            "    echeance: {delai: instruction.delai_convocation_audition, sens: avant}\n"
            "    accomplie_par: {evenement: convocation_audition}\n"
            "    si_en_retard: {constat: convocation_tardive, cas: [tardive]}\n")
FINDING = "convocation_tardive:\n  article: III.3\n  gravite: GRAVITY\n  titre: Convocation de la CPNE envoyée en retard\n"


@pytest.fixture
def repo(tmp_path) -> Path:
    return published_repository(tmp_path, POLICIES, TODAY)


def overlay(repo: Path, name: str, text: str, append: bool = False) -> Path:
    path = repo / "policies" / "cpne-exemple" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text((path.read_text(encoding="utf-8") if append else "") + text, encoding="utf-8")
    return path


def refused(repo: Path, in_service, path: Path, text: str) -> str:
    """Refused by validate (at a line of `path`), then, committed, at the service's start and at its reload (of
    `in_service`, the set loaded before the edit)."""
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    lines = [line for line in out.splitlines() if text in line]
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"{path}:"), out
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "extension modifiée")
    for args in ((), (in_service,)):
        with pytest.raises(PolicyError) as problem:
            load_checked(repo / "policies", *args)
        assert any(text in issue.message for issue in problem.value.issues)
    return lines[0]


def accepted(repo: Path) -> None:
    code, out, _ = clea("policy", "validate", repo / "policies", "--date", TODAY)
    assert code == 0, out


def test_the_recourse_delay_shortened_from_a_date_is_refused(repo):
    in_service = load_checked(repo / "policies")
    path = overlay(repo, "parametres.yaml", OWN_DELAY.replace("DAYS", "29"), append=True)
    line = refused(repo, in_service, path, "raccourcit le droit 'deposer_recours'")
    assert "le droit 'deposer_recours' que la base ouvre au candidat (règle 'recours.depot' [III.7]) : 29 jours " \
           "ouvrés au lieu de 30 à partir du 01/03/2027 (recours.delai_depot) ; gardez un délai d'au moins 30 jours " \
           "ouvrés ; une extension ajoute à sa base, elle ne restreint pas un droit qu'elle ouvre à une partie " \
           "(I, III.7)" in line


def test_the_recourse_delay_kept_or_lengthened_is_accepted(repo):
    original = (repo / "policies" / "cpne-exemple" / "parametres.yaml").read_text(encoding="utf-8")
    for days in ("30", "40"):
        overlay(repo, "parametres.yaml", original + OWN_DELAY.replace("DAYS", days))
        accepted(repo)


def test_a_replaced_recourse_rule_with_a_shorter_delay_of_its_own_is_refused(repo):
    in_service = load_checked(repo / "policies")
    overlay(repo, "parametres.yaml", "recours:\n  delai_depot_cpne:\n    titre: Dépôt du recours (CPNE)\n    article: "
            "III.7\n    unite: jours_ouvres\n    valeurs: [{depuis: 2019-07-01, valeur: 20}]\n", append=True)
    path = overlay(repo, "regles/recours.yaml", RIGHT.replace("{delai: recours.delai_depot}",
                                                             "{delai: recours.delai_depot_cpne}"))
    line = refused(repo, in_service, path, "raccourcit le droit 'deposer_recours'")
    assert f"{path}:9: " in line and "20 jours ouvrés au lieu de 30 à partir du 01/07/2019" in line


def test_a_recourse_that_never_opens_or_loses_its_action_is_refused(repo):
    in_service = load_checked(repo / "policies")
    path = overlay(repo, "regles/recours.yaml", RIGHT.replace("{decision: refus}", "{decision: refus_definitif}"))
    line = refused(repo, in_service, path, "change quand il s'ouvre (quand)")
    assert f"{path}:4: " in line and "(I, III.7)" in line


def test_the_recourse_replaced_by_another_action_is_refused(repo):
    in_service = load_checked(repo / "policies")
    path = overlay(repo, "regles/recours.yaml", RIGHT.replace("id: deposer_recours", "id: former_recours"))
    assert f"{path}:6: " in refused(repo, in_service, path, "par l'action 'former_recours'")


def test_the_same_recourse_is_accepted(repo):
    overlay(repo, "regles/recours.yaml", RIGHT)
    accepted(repo)


def test_a_non_conformity_for_the_instances_own_delay_is_refused(repo):
    in_service = load_checked(repo / "policies")
    overlay(repo, "constats.yaml", FINDING.replace("GRAVITY", "manquement"))
    path = overlay(repo, "regles/instruction.yaml", REMINDER)
    line = refused(repo, in_service, path, "fait du retard de l'Instance sur sa propre diligence 'relancer_convocation'")
    assert f"{path}:11: " in line
    assert "le constat 'convocation_tardive', de gravité manquement, qui rend le verdict non conforme : seul le " \
           "retard de l'organisme ou du candidat rend un dossier non conforme" in line and "(I, III.3)" in line


def test_a_finding_of_information_for_the_instances_delay_is_accepted(repo):
    overlay(repo, "constats.yaml", FINDING.replace("GRAVITY", "information"))
    overlay(repo, "regles/instruction.yaml", REMINDER)
    accepted(repo)
