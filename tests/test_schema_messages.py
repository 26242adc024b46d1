"""jsonschema's errors said in French, one sentence per kind of check, values shortened."""
from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from engine.formats import FORMAT_CHECKER
from engine.schema_messages import schema_message, shown


def messages(schema: dict, instance) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
    return [schema_message(error) for error in validator.iter_errors(instance)]


@pytest.mark.parametrize("schema, instance, expected", [
    ({"required": ["siren", "nom"]}, {"nom": "x"}, "champ obligatoire manquant : 'siren'"),
    ({"type": "string"}, 42, "doit être une chaîne de caractères ; trouvé un entier : 42"),
    ({"type": ["integer", "null"]}, "3", "doit être un entier ou null ; trouvé une chaîne de caractères : '3'"),
    ({"type": "object"}, [1], "doit être un objet ; trouvé une liste : [1]"),
    ({"type": "boolean"}, None, "doit être un booléen (true ou false) ; trouvé null : null"),
    ({"enum": ["acceptation", "refus"]}, "oui", "valeur non admise : 'oui' ; valeurs admises : 'acceptation', 'refus'"),
    ({"const": "certifpro"}, "autre", "doit valoir 'certifpro' ; trouvé 'autre'"),
    ({"properties": {"a": {}, "b": {}}, "additionalProperties": False}, {"a": 1, "z": 2, "y": 3},
     "champs inconnus : 'z', 'y' (champs admis : 'a', 'b')"),
    ({"properties": {"a": {}}, "additionalProperties": False}, {"z": 1}, "champ inconnu : 'z' (champs admis : 'a')"),
    ({"format": "date"}, "2026-02-30", "'2026-02-30' : ce jour n'existe pas dans le calendrier"),
    ({"format": "date"}, "30/01/2026", "'30/01/2026' : une date s'écrit AAAA-MM-JJ"),
    ({"format": "siren"}, "732829321", "'732829321' : SIREN invalide (clé de contrôle)"),
    ({"pattern": "^[A-Z]+$"}, "abc", "'abc' ne respecte pas la forme attendue (motif ^[A-Z]+$)"),
    ({"minimum": 1}, 0, "doit être supérieur ou égal à 1 ; trouvé 0"),
    ({"maximum": 4}, 5, "doit être inférieur ou égal à 4 ; trouvé 5"),
    ({"exclusiveMinimum": 0}, 0, "doit être strictement supérieur à 0 ; trouvé 0"),
    ({"exclusiveMaximum": 10}, 10, "doit être strictement inférieur à 10 ; trouvé 10"),
    ({"multipleOf": 5}, 7, "doit être un multiple de 5 ; trouvé 7"),
    ({"minLength": 2}, "a", "'a' est trop court : au moins 2 caractères"),
    ({"maxLength": 1}, "ab", "'ab' est trop long : au plus 1 caractère"),
    ({"minItems": 1}, [], "au moins 1 élément ; trouvé 0"),
    ({"maxItems": 2}, [1, 2, 3], "au plus 2 éléments ; trouvé 3"),
    ({"minProperties": 1}, {}, "au moins 1 champ ; trouvé 0"),
    ({"uniqueItems": True}, ["a", "b", "a"], "éléments en double : 'a'"),
    ({"not": {"const": 0}}, 0, "0 n'est pas admis ici"),
    ({"contains": {"const": 1}}, [2], "la liste ne contient aucun élément de la forme attendue"),
    ({"dependentRequired": {"fin": ["debut"]}}, {"fin": 1}, "'fin' exige aussi 'debut'"),
    ({"prefixItems": [{}], "items": False}, [1, 2], "trop d'éléments dans la liste"),
    ({"properties": {"x": False}}, {"x": 1}, "aucune valeur n'est admise ici ; trouvé 1"),
])
def test_each_kind_of_check_in_french(schema, instance, expected):
    assert messages(schema, instance) == [expected]


def test_one_of_names_the_closest_alternative():
    schema = {"oneOf": [{"type": "object", "required": ["jours_ouvres"]}, {"type": "integer"}]}
    assert messages(schema, {"jours": 3}) == [
        "ne correspond à aucune des formes admises ; la plus proche : champ obligatoire manquant : 'jours_ouvres'"]
    assert messages(schema, "3") == ["doit être un objet ou un entier ; trouvé une chaîne de caractères : '3'"]
    assert messages({"oneOf": [{"type": "integer"}, {"minimum": 0}]}, 3) == [
        "correspond à plusieurs des formes admises alors qu'une seule est permise"]


def test_any_of_gives_the_closest_alternative_with_its_path():
    schema = {"anyOf": [{"properties": {"a": {"type": "string"}}}, {"type": "array"}]}
    assert messages(schema, {"a": 1}) == [
        ("ne correspond à aucune des formes admises ; la plus proche : a : doit être une chaîne de caractères ; "
        "trouvé un entier : 1")]


def test_values_echoed_are_shortened():
    long_text = "x" * 500
    message, = messages({"enum": ["a"]}, long_text)
    assert len(message) < 120 and "…" in message
    assert shown({"a": list(range(100))}).endswith("…") and len(shown({"a": list(range(100))})) == 40
    many, = messages({"enum": [f"v{i}" for i in range(30)]}, "w")
    assert many.endswith(", …") and "'v11'" in many and "'v12'" not in many


def test_every_message_is_french_whatever_the_kind():
    # a kind with no sentence of its own still says in French which check failed
    error = next(Draft202012Validator({"propertyNames": {"maxLength": 2}}).iter_errors({"abc": 1}))
    assert schema_message(error) == "'abc' est trop long : au plus 2 caractères"
