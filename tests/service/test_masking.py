"""Personal data of intervenants and beneficiaries never reaches the decision log in clear."""
import pytest

from engine.policy.files.personal_data import personal_data_paths
from engine.service.masking import MASK, MaskPathError, mask, parse_path, parse_paths


@pytest.fixture(scope="module")
def schema_paths(policies):
    return personal_data_paths(policies.get("certifpro"))


def test_the_schema_marks_names_emails_the_mandataire_and_free_texts(schema_paths):
    assert set(schema_paths) == {
        "faits.organisme.intervenants[*].nom", "faits.organisme.intervenants[*].email", "faits.mandataire.nom",
        "faits.beneficiaires[*].nom", "faits.beneficiaires[*].email",
        "faits.demande.partie_technique.distanciel.motif_exceptionnel", "faits.demande.contextualisation",
        "faits.evenements[*].motifs"}


def test_free_form_parts_keep_their_shape_and_booleans_but_lose_their_texts(schema_paths):
    record = {"faits": {
        "mandataire": {"nom": "Cabinet Durand", "justificatif_mandat": True},
        "demande": {"contextualisation": {"referent_metier": {"designe": True, "nom": "Mme Leroy", "age": 51},
                                          "notes": ["appelée le 3 mars", None]}},
        "evenements": [{"type": "decision_notifiee", "date": "2026-01-05", "decision": "refus",
                        "motifs": ["M. Petit n'a pas de CV"]}]}, "verdict": {}}
    masked = mask(record, parse_paths(schema_paths))["faits"]
    assert masked["mandataire"] == {"nom": MASK, "justificatif_mandat": True}
    assert masked["demande"]["contextualisation"] == {"referent_metier": {"designe": True, "nom": MASK, "age": MASK},
                                                      "notes": [MASK, None]}
    assert masked["evenements"][0]["motifs"] == [MASK] and masked["evenements"][0]["decision"] == "refus"


def test_schema_paths_mask_names_and_emails_of_intervenants_and_beneficiaries(schema_paths):
    record = {"faits": {
        "organisme": {"siren": "732829320", "intervenants": [{"id": "E1", "nom": "Dupont", "email": "d@x.fr"},
                                                              {"id": "F1", "roles": ["formateur"]}]},
        "beneficiaires": [{"id": "P1", "nom": "Martin", "email": "m@y.fr", "evaluateurs": ["E1"]}],
    }, "verdict": {"statut": "candidat"}}
    masked = mask(record, parse_paths(schema_paths))
    assert masked["faits"]["organisme"]["intervenants"] == [{"id": "E1", "nom": MASK, "email": MASK},
                                                            {"id": "F1", "roles": ["formateur"]}]
    assert masked["faits"]["beneficiaires"] == [{"id": "P1", "nom": MASK, "email": MASK, "evaluateurs": ["E1"]}]
    assert masked["faits"]["organisme"]["siren"] == "732829320"
    assert record["faits"]["beneficiaires"][0]["nom"] == "Martin", "the original is left untouched"


def test_paths_select_one_item_every_key_or_nothing():
    document = {"a": [{"x": 1, "y": 2}, {"x": 3}], "b": {"k1": "v", "k2": None}}
    assert mask(document, parse_paths(["a[1].x"])) == {"a": [{"x": 1, "y": 2}, {"x": MASK}], "b": document["b"]}
    assert mask(document, parse_paths(["b.*"]))["b"] == {"k1": MASK, "k2": None}
    assert mask(document, parse_paths(["a[5].x", "c.d", "a.x"])) == document


def test_parse_path():
    assert parse_path("faits.beneficiaires[*].nom") == ("faits", "beneficiaires", "[*]", "nom")
    assert parse_path("[2].a") == (2, "a")


@pytest.mark.parametrize("bad", ["", "a..b", "a[x]", "a]", "a.[*"])
def test_malformed_paths_are_refused(bad):
    with pytest.raises(MaskPathError):
        parse_path(bad)


def test_masking_copies_only_the_way_to_what_it_masks_and_never_changes_the_document(schema_paths):
    verdict = {"statut": "habilite", "frais": [{"id": "frais_instruction", "montant_ht": "300.00"}]}
    record = {"faits": {"organisme": {"siren": "732829320", "intervenants": [{"id": "E1", "nom": "Dupont"},
                                                                             {"id": "E2", "email": "e@x.fr"}]},
                        "demande": {"perimetre": {"geographique": "Bretagne"}}}, "verdict": verdict}
    masked = mask(record, parse_paths(schema_paths))
    # two paths through the same list of intervenants: both masked in the one copy
    assert masked["faits"]["organisme"]["intervenants"] == [{"id": "E1", "nom": MASK}, {"id": "E2", "email": MASK}]
    assert record["faits"]["organisme"]["intervenants"] == [{"id": "E1", "nom": "Dupont"}, {"id": "E2", "email": "e@x.fr"}]
    assert masked["verdict"] is verdict and masked["faits"]["demande"] is record["faits"]["demande"]
