"""Personal data of intervenants and beneficiaries never reaches the decision log in clear."""
import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- the paths walked together give what each path gives alone, one after the other -----------------------
def _alone(document, paths):
    """The reference: a deep copy, each path applied to it in turn, as the module's docstring says a path masks."""
    out = copy.deepcopy(document)
    for path in paths:
        out = _at(out, path)
    return out


def _at(node, path):
    token, rest = path[0], path[1:]
    if token == "[*]":
        keys = range(len(node)) if isinstance(node, list) else []
    elif token == "*":
        keys = list(node) if isinstance(node, dict) else []
    elif isinstance(token, int):
        keys = [token] if isinstance(node, list) and -len(node) <= token < len(node) else []
    else:
        keys = [token] if isinstance(node, dict) and token in node else []
    for key in keys:
        node[key] = _at(node[key], rest) if rest else _whole(node[key])
    return node


def _whole(value):
    if isinstance(value, dict):
        return {key: _whole(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole(item) for item in value]
    return value if value is None or isinstance(value, bool) else MASK


_KEYS = st.sampled_from(["a", "b", "nom", "email"])
_DOCUMENTS = st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
                          lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
                          max_leaves=30)
_PATHS = st.lists(st.lists(_KEYS | st.sampled_from(["[*]", "*", 0, 1, -1]), min_size=1, max_size=4).map(tuple),
                  max_size=5)


@settings(max_examples=400, deadline=None)
@given(_DOCUMENTS, _PATHS)
def test_paths_walked_together_mask_what_each_masks_alone(document, paths):
    before = copy.deepcopy(document)
    assert mask(document, tuple(paths)) == _alone(document, paths)
    assert document == before, "the document is never changed"


def test_a_list_whose_items_hold_none_of_the_keys_is_shared_not_copied():
    events = [{"type": "depot", "date": "2026-01-05"}, {"type": "retrait", "motifs": ["retard"]}]
    record = {"faits": {"evenements": events, "organisme": {"intervenants": [{"id": "E1"}]}}}
    masked = mask(record, parse_paths(["faits.evenements[*].motifs", "faits.organisme.intervenants[*].nom"]))
    assert masked["faits"]["evenements"] == [events[0], {"type": "retrait", "motifs": [MASK]}]
    assert masked["faits"]["evenements"][0] is events[0]
    assert masked["faits"]["organisme"] is record["faits"]["organisme"], "no intervenant has a name: nothing copied"
    assert events[1]["motifs"] == ["retard"]
