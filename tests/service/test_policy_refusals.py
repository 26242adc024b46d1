"""Policy changes that would silently give wrong verdicts are refused — by `clea policy validate` (exit 1), at load
(PolicyError), and on a reload of the HTTP service (409: the old set keeps serving, /v1/health says degraded) —
each with a message saying what to do. Each refusal below writes the bad policy as a board secretary or a CPNE would.
"""
from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from engine import PolicyError, evaluate, load_policies
from engine.cli import run
from engine.policy.versions.snapshots import read_snapshots

from .conftest import POLICIES, RELOAD_TOKEN, Server, scenario

AUTH = {"authorization": f"Bearer {RELOAD_TOKEN}"}
TODAY = "2026-11-27"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (old, path)
    path.write_text(text.replace(old, new), encoding="utf-8")


def copy_overlay(policies: Path, policy_id: str) -> Path:
    """A CPNE copies cpne-exemple to start its own overlay, and changes its instance but (here) not rightly its id."""
    folder = policies / "cpne-copie"
    shutil.copytree(policies / "cpne-exemple", folder, ignore=shutil.ignore_patterns("tests"))
    edit(folder / "politique.yaml", "id: cpne_exemple", f"id: {policy_id}")
    edit(folder / "politique.yaml", 'instances: ["cpne:exemple"]', 'instances: ["cpne:copie"]')
    return folder / "politique.yaml"


def duplicate_id(policies: Path) -> list[tuple[Path, str]]:
    copied = copy_overlay(policies, "cpne_exemple")
    message = "l'id 'cpne_exemple' est aussi celui de {other} : deux politiques ne peuvent avoir le même id, l'une " \
              "masquerait l'autre et jugerait ses dossiers ; donnez à chacune un id qui lui est propre"
    original = policies / "cpne-exemple" / "politique.yaml"
    return [(copied, message.format(other=original.parent)), (original, message.format(other=copied.parent))]


def overlay_with_the_base_id(policies: Path) -> list[tuple[Path, str]]:
    copied = copy_overlay(policies, "certifpro")
    return [(copied, (f"l'id 'certifpro' est aussi celui de {policies / 'certifpro'} : deux politiques ne peuvent avoir "
                     "le même id, l'une masquerait l'autre et jugerait ses dossiers ; donnez à chacune un id qui lui est "
                     "propre (une extension a son propre id, jamais celui de la politique qu'elle étend)"))]


def overlay_adding_a_fee(policies: Path) -> list[tuple[Path, str]]:
    rules = policies / "cpne-exemple" / "regles"
    rules.mkdir()
    (rules / "frais.yaml").write_text(
        "- id: cpne.frais_dossier\n  article: CTX.1\n  titre: Frais de dossier de la CPNE Exemple\n"
        "  quand: {evenement: demande_deposee}\n"
        "  frais: {id: frais_dossier_cpne, acteur: candidat, montant: {parametre: cpne.frais_dossier}}\n", encoding="utf-8")
    parameters = policies / "cpne-exemple" / "parametres.yaml"
    parameters.write_text(parameters.read_text(encoding="utf-8") + (
        "cpne:\n  frais_dossier:\n    titre: Frais de dossier\n    article: CTX.1\n    unite: EUR_HT\n"
        "    valeurs: [{depuis: 2019-07-01, valeur: \"50.00\"}]\n"), encoding="utf-8")
    return [(rules / "frais.yaml", ("ajoute la règle 'cpne.frais_dossier' [CTX.1] (effet frais) : 'certifpro' ne permet "
                                   "à ses extensions que des règles sous instruction, decision.notification, recours, "
                                   "d'effet action (I) ; les autres sont les siennes, retirez celle-ci")),
            (parameters, ("ajoute le paramètre 'cpne.frais_dossier' [CTX.1] (en EUR_HT) : 'certifpro' ne permet à ses "
                         "extensions que des paramètres sous instruction, decision.delai_notification, recours, en "
                         "jours_ouvres, jours, mois (I) ; les autres sont les siens, retirez celui-ci"))]


def undeclared_retroactive_value(policies: Path) -> list[tuple[Path, str]]:
    """`redevance_certificat` 12.00 from 2024-01-01, decided 2026-11-20: certificates already charged, repriced."""
    parameters = policies / "certifpro" / "parametres.yaml"
    edit(parameters, '      - {depuis: 2020-02-25, valeur: "10.00"}\n',
         '      - {depuis: 2020-02-25, valeur: "10.00"}\n'
         '      - {depuis: 2024-01-01, valeur: "12.00", decision: {date: 2026-11-20}}\n')
    return [(parameters, ("la valeur du 01/01/2024 a été décidée le 20/11/2026 : elle s'appliquerait rétroactivement "
                         "aux faits datés depuis le 01/01/2024 (un montant déjà dû serait recalculé, un délai déjà "
                         "ouvert changerait) ; datez-la au plus tôt du jour de sa décision, ou, si la rétroactivité "
                         "est voulue, dites-le sur l'entrée avec sa raison : retroactif: {motif: \"…\"}"))]


def rewritten_past(policies: Path) -> list[tuple[Path, str]]:
    """The instruction fee "corrected" in place: every application filed since 2020 repriced."""
    parameters = policies / "certifpro" / "parametres.yaml"
    edit(parameters, '{depuis: 2020-02-25, valeur: "300.00"}', '{depuis: 2020-02-25, valeur: "320.00"}')
    return [(parameters, ("la valeur en vigueur depuis le 25/02/2020 a été modifiée (300.00 → 320.00) : elle s'applique "
                         "à des faits déjà datés ; ajoutez plutôt une nouvelle valeur datée, ou marquez celle-ci comme "
                         "une correction avec sa raison (correction: {motif: \"…\"})"))]


def past_value_without_decision(policies: Path) -> list[tuple[Path, str]]:
    parameters = policies / "certifpro" / "parametres.yaml"
    edit(parameters, '      - {depuis: 2020-02-25, valeur: "30.00"}\n',
         '      - {depuis: 2020-02-25, valeur: "30.00"}\n      - {depuis: 2024-01-01, valeur: "35.00"}\n')
    return [(parameters, "la valeur du 01/01/2024 est ajoutée le ")]


def id_not_a_name(policies: Path) -> list[tuple[Path, str]]:
    """A mapping written where the policy's id goes (issue 18: a raw TypeError once)."""
    main = policies / "certifpro" / "politique.yaml"
    edit(main, "id: certifpro", "id: {x: 1}")
    return [(main, ("l'id d'une politique est un nom (minuscules, chiffres et _, par exemple id: ma_politique), pas un "
                   'objet ({"x": 1})'))]


def attribute_schema_not_a_schema(policies: Path) -> list[tuple[Path, str]]:
    """An attribute's allowed values written as one number, not a list (issue 18: a raw TypeError once)."""
    events = policies / "certifpro" / "evenements.yaml"
    edit(events, "attributs: {objet: {enum: [instruction, recours, audit, conformite]}}", "attributs: {objet: {enum: 7}}")
    return [(events, "pas un schéma JSON : en enum, la valeur ne respecte pas la règle 'type' du méta-schéma")]


REFUSALS = [duplicate_id, overlay_with_the_base_id, overlay_adding_a_fee, undeclared_retroactive_value,
            rewritten_past, past_value_without_decision, id_not_a_name, attribute_schema_not_a_schema]
NEEDS_BASELINE = {rewritten_past, past_value_without_decision}    # a change, seen against what was there before


@pytest.fixture
def folders(tmp_path) -> tuple[Path, Path]:
    """(the policies as they were, a copy to break), both far from the project."""
    before = tmp_path / "avant" / "policies"
    shutil.copytree(POLICIES, before, ignore=shutil.ignore_patterns("tests"))
    after = tmp_path / "apres" / "policies"
    shutil.copytree(before, after)
    return before, after


def _found(issues: list[dict], expected: list[tuple[Path, str]]) -> None:
    for file, message in expected:
        assert any(issue.get("fichier") == str(file) and message in issue["message"] for issue in issues), \
            (file, message, issues)


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.__name__)
def test_validate_refuses_it(folders, refusal):
    before, after = folders
    expected = refusal(after)
    out, err = io.StringIO(), io.StringIO()
    code = run(["policy", "validate", str(after), "--since", str(before), "--date", TODAY], out, err)
    assert code == 1 and "ok :" not in out.getvalue()
    assert err.getvalue().endswith("problème(s) : rien n'est validé\n")
    for file, message in expected:
        assert any(line.startswith(f"{file}:") and message in line for line in out.getvalue().splitlines()), \
            (message, out.getvalue())


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.__name__)
def test_load_refuses_it(folders, refusal):
    before, after = folders
    expected = refusal(after)
    baseline = read_snapshots(before) if refusal in NEEDS_BASELINE else None
    with pytest.raises(PolicyError) as error:
        load_policies(after, baseline=baseline, today=date.fromisoformat(TODAY))
    _found([issue.as_dict() for issue in error.value.issues], expected)
    if refusal in NEEDS_BASELINE:
        load_policies(after)       # alone, the folder is a valid policy: only the comparison finds the rewrite


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One service for every refusal: each is written, reloaded, refused, then undone."""
    root = tmp_path_factory.mktemp("refusals")
    pristine = root / "avant" / "policies"
    shutil.copytree(POLICIES, pristine, ignore=shutil.ignore_patterns("tests"))
    live = root / "service" / "policies"
    shutil.copytree(pristine, live)
    (root / "server").mkdir()
    server = Server(root / "server", live)
    yield server, pristine, live
    server.stop()


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.__name__)
def test_reload_refuses_it_and_the_old_set_keeps_serving(served, refusal):
    server, pristine, live = served
    case = scenario("p01")
    with server.client() as client:
        before = client.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]}).json()
        expected = refusal(live)
        try:
            refused = client.post("/v1/policies/reload", headers=AUTH)
            assert refused.status_code == 409, refused.text
            assert refused.json()["title"] == "Politiques invalides : rechargement refusé"
            _found(refused.json()["erreurs"], expected)
            health = client.get("/v1/health").json()
            assert health["statut"] == "degrade" and health["dernier_rechargement"]["reussi"] is False
            _found(health["dernier_rechargement"]["erreurs"], expected)
            still = client.post("/v1/evaluations", json={"faits": case["faits"], "date": case["date"]}).json()
            assert still["politique"] == before["politique"]
        finally:
            shutil.rmtree(live)
            shutil.copytree(pristine, live)
        assert client.post("/v1/policies/reload", headers=AUTH).status_code == 200
        assert client.get("/v1/health").json()["statut"] == "ok"


def test_an_event_type_named_article_reloads(served):
    """`article` is a name like any other for an event type: no citation of the text (issue 18: a raw TypeError)."""
    server, pristine, live = served
    edit(live / "certifpro" / "evenements.yaml", "  demande_deposee: {article: III.1,",
         "  article: {article: III.1, titre: Un article publié}\n  demande_deposee: {article: III.1,")
    try:
        with server.client() as client:
            assert client.post("/v1/policies/reload", headers=AUTH).status_code == 200
            assert client.get("/v1/health").json()["statut"] == "ok"
    finally:
        shutil.rmtree(live)
        shutil.copytree(pristine, live)


def test_the_same_value_written_differently_reloads(served):
    """"300.00" written as 300 is not a change: the reload goes through."""
    server, pristine, live = served
    edit(live / "certifpro" / "parametres.yaml", '{depuis: 2020-02-25, valeur: "300.00"}', "{depuis: 2020-02-25, valeur: 300}")
    try:
        with server.client() as client:
            assert client.post("/v1/policies/reload", headers=AUTH).status_code == 200
    finally:
        shutil.rmtree(live)
        shutil.copytree(pristine, live)


def test_an_overlay_delay_from_2027_leaves_the_base_delay_before_2027(folders, start_server, base_facts):
    """A CPNE sets its own notification delay from 2027: its dated values merge with the base's by date, so a meeting
    in 2026 keeps Certif'Pro's delay — in validate, at load and in the service (never "no deadline at all")."""
    before, after = folders
    for policies in (before, after):
        (policies / "cpne-exemple" / "parametres.yaml").unlink()      # the overlay as it was: no delay of its own
    (after / "cpne-exemple" / "parametres.yaml").write_text(LATER_DELAY, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(["policy", "validate", str(after), "--since", str(before), "--date", TODAY], out, err) == 0, out.getvalue()
    out = io.StringIO()
    assert run(["policy", "history", "decision.delai_notification", "--policies", str(after), "--policy",
                "cpne_exemple"], out, err) == 0
    assert out.getvalue().splitlines()[1:] == ["  depuis le 01/07/2019     20 jours ouvrés  (valeur de certifpro)",
                                               "  depuis le 01/01/2027     15 jours ouvrés  décision du 20/11/2026"]

    facts = {**base_facts, "instance": "cpne:exemple",
             "demande": {**base_facts["demande"], "perimetre": {"geographique": "Nord",
                                                                "champ_professionnel": "commerce_detail_exemple"}},
             "evenements": [{"type": "demande_deposee", "date": "2026-10-01"},
                            {"type": "reunion_instance", "date": "2026-12-10"},
                            {"type": "reunion_instance", "date": "2027-01-14"}]}
    # 10 Dec 2026 + 20 working days (25 Dec, 1 Jan off) = 11 Jan 2027; 14 Jan 2027 + 15 working days = 4 Feb 2027
    expected = ["2027-01-11", "2027-02-04"]
    verdict = evaluate(facts, "2027-01-15", policies=load_policies(after))
    assert [a["echeance"] for a in verdict["actions"] if a["id"] == "notifier_decision"] == expected

    live = before.parent.parent / "service" / "policies"
    shutil.copytree(before, live)
    server = start_server(live)
    (live / "cpne-exemple" / "parametres.yaml").write_text(LATER_DELAY, encoding="utf-8")
    with server.client() as client:
        assert client.post("/v1/policies/reload", headers=AUTH).status_code == 200
        served = client.post("/v1/evaluations", json={"faits": facts, "date": "2027-01-15"}).json()
    assert [a["echeance"] for a in served["actions"] if a["id"] == "notifier_decision"] == expected


LATER_DELAY = """decision:
  delai_notification:
    titre: Notification de la décision à compter de la réunion de la CPNE Exemple (son calendrier)
    valeurs: [{depuis: 2027-01-01, valeur: 15, decision: {date: 2026-11-20}}]
"""
