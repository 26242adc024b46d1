"""Personal data of intervenants and beneficiaries never reaches the decision log in clear."""
import pytest

from engine.service.masking import DEFAULT_PATHS, MASK, MaskPathError, mask, parse_path, parse_paths


def test_default_paths_mask_names_and_emails_of_intervenants_and_beneficiaries():
    record = {"faits": {
        "organisme": {"siren": "732829320", "intervenants": [{"id": "E1", "nom": "Dupont", "email": "d@x.fr"},
                                                              {"id": "F1", "roles": ["formateur"]}]},
        "beneficiaires": [{"id": "P1", "nom": "Martin", "email": "m@y.fr", "evaluateurs": ["E1"]}],
    }, "verdict": {"statut": "candidat"}}
    masked = mask(record, parse_paths(DEFAULT_PATHS))
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
