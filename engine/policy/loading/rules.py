"""A policy's `regles` -> typed Rules (engine/policy/model/rules.py, effects.py), checking each value's type as it
builds: a shape the code does not expect becomes an Issue at its file:line (French), never a Python exception.
Titles and finding messages are parsed into Templates here; a text that is not a template is an Issue at its line.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from ...errors import Issue
from ..model.effects import (
    ActionEffect,
    Amount,
    Count,
    Deadline,
    Effect,
    EffectiveDate,
    EmitEffect,
    FeeEffect,
    FindingEffect,
    Fulfilment,
    Lateness,
    Period,
    Scalar,
    StatusEffect,
)
from ..model.rules import (
    EQUALS,
    OPERATORS,
    After,
    AtStatus,
    Condition,
    Decision,
    Fulfils,
    Guards,
    InScope,
    OtherEvent,
    Rule,
    RuleVersion,
    StatusException,
    Trigger,
)
from ..model.templates import Template, TemplateError
from ..model.vocabulary import RULE_EFFECTS

Path = tuple[str | int, ...]
T = TypeVar("T")
_SCALARS = (str, int, float, bool)
_REQUIRED: Any = object()


class _Shape(Exception):
    """A value of the wrong type: where, and what was expected (stops building the rule)."""

    def __init__(self, path: Path, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def build_rules(raw_rules: object, sources: Any) -> tuple[tuple[Rule, ...], list[Issue]]:
    """Every rule of `regles`, and the problems of those that could not be built."""
    if not isinstance(raw_rules, list):
        return (), [sources.issue(("regles",), "doit être une liste de règles")]
    rules: list[Rule] = []
    issues: list[Issue] = []
    for index, raw in enumerate(raw_rules):
        path: Path = ("regles", index)
        try:
            rules.append(_rule(raw, path, sources))
        except _Shape as problem:
            issues.append(sources.issue(problem.path, problem.message))
    return tuple(rules), issues


def _rule(raw: object, path: Path, sources: Any) -> Rule:
    raw = _mapping(raw, path)
    effects = [name for name in RULE_EFFECTS if name in raw]
    if len(effects) != 1:
        raise _Shape(path, "une règle a exactement un effet parmi : " + ", ".join(RULE_EFFECTS))
    effect = effects[0]
    when = _mapping(raw.get("quand"), path + ("quand",))
    file, line = sources.locate(path)
    title = _template(_text(raw, "titre", path), path + ("titre",))
    versions: list[RuleVersion] = []
    for index, entry in enumerate(_list(raw.get("versions", []), path + ("versions",))):
        versions.append(_version(_mapping(entry, path + ("versions", index)), path + ("versions", index),
                                 versions[-1].title if versions else title, sources))
    return Rule(_text(raw, "id", path), _text(raw, "article", path), title,
                _trigger(when, path + ("quand",)), _guards(when, path + ("quand",)),
                _EFFECTS[effect](_mapping(raw[effect], path + (effect,)), path + (effect,)), file, line,
                tuple(versions))


def _version(raw: Mapping, path: Path, title: Template, sources: Any) -> RuleVersion:
    """One amendment: its start, its decision, the date that selects it, and its text in full (its title may be
    the one before)."""
    effects = [name for name in RULE_EFFECTS if name in raw]
    if len(effects) != 1:
        raise _Shape(path, "une version de règle énonce exactement un effet parmi : " + ", ".join(RULE_EFFECTS))
    effect = effects[0]
    when = _mapping(raw.get("quand"), path + ("quand",), "une version de règle énonce son « quand » en entier")
    decision = _optional(raw, "decision", path, lambda spec, where: Decision(
        _text(spec, "reference", where, None), _day(spec.get("date"), where + ("date",), None)))
    choice = _optional(raw, "selon", path, lambda spec, where: _text(spec, "dernier_evenement", where))
    return RuleVersion(_day(raw.get("depuis"), path + ("depuis",)), decision, choice,
                       _template(_text(raw, "titre", path), path + ("titre",)) if "titre" in raw else title,
                       _trigger(when, path + ("quand",)), _guards(when, path + ("quand",)),
                       _EFFECTS[effect](_mapping(raw[effect], path + (effect,)), path + (effect,)),
                       sources.locate(path)[1])


def _day(value: object, path: Path, default: Any = _REQUIRED) -> Any:
    if value is None and default is not _REQUIRED:
        return default
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _Shape(path, "doit être une date AAAA-MM-JJ") from None


# --- trigger and guards -----------------------------------------------------------------------------------------
def _trigger(when: Mapping, path: Path) -> Trigger:
    conditions = _mapping(when.get("si", {}), path + ("si",))
    return Trigger(_text(when, "evenement", path),
                   tuple(_condition(str(name), value, path + ("si", str(name))) for name, value in conditions.items()))


def _condition(attribute: str, value: object, path: Path) -> Condition:
    if not isinstance(value, dict):
        if value is not None and not isinstance(value, _SCALARS):
            raise _Shape(path, "doit être une valeur (texte, nombre, vrai/faux) ou un bloc d'un opérateur")
        return Condition(attribute, EQUALS, value)
    if len(value) != 1 or next(iter(value)) not in OPERATORS:
        raise _Shape(path, "un seul opérateur parmi : " + ", ".join(OPERATORS))
    (operator, operand), = value.items()
    where = path + (operator,)
    if operator == "parmi":
        return Condition(attribute, operator, tuple(_scalar(item, where + (i,)) for i, item in enumerate(
            _list(operand, where))))
    if operator in ("existe", "non_vide"):
        return Condition(attribute, operator, _flag(value, operator, path))
    return Condition(attribute, operator, _scalar(operand, where))


def _guards(when: Mapping, path: Path) -> Guards:
    return Guards(
        after=_optional(when, "apres", path, lambda spec, where: After(_text(spec, "evenement", where),
                                                                         _text(spec, "dans", where))),
        exists=_optional(when, "existe", path, _other_event),
        without=_optional(when, "sans", path, _other_event),
        fulfils=_optional(when, "accomplit", path, lambda spec, where: Fulfils(
            _text(spec, "action", where), _flag(spec, "dans_les_delais", where, None))),
        at_status=_optional(when, "au_statut", path, _at_status),
        in_scope=_optional(when, "portee", path, lambda spec, where: InScope(
            _text(spec, "chemin", where, None), bool(_flag(spec, "extension", where, False)),
            bool(_flag(spec, "dans", where, True)))),
    )


def _other_event(spec: Mapping, path: Path) -> OtherEvent:
    return OtherEvent(_text(spec, "evenement", path), _text(spec, "depuis", path, None),
                      _text(spec, "jusqu_au", path, None), _texts(spec, "meme", path), _texts(spec, "puis_aucun", path))


def _at_status(spec: Mapping, path: Path) -> AtStatus:
    among = "parmi" in spec
    def exception(raw: Mapping, where: Path) -> StatusException:
        return StatusException(_text(raw, "article", where), _text(raw, "statut", where), _text(raw, "chemin", where),
                               _texts(raw, "au_plus_tard", where))
    raw = spec.get("sauf")
    where = path + ("sauf",)
    unless = () if raw is None else tuple(
        exception(_mapping(item, where + (i,)), where + (i,)) for i, item in enumerate(_list(raw, where))
    ) if isinstance(raw, list) else (exception(_mapping(raw, where), where),)
    return AtStatus(_texts(spec, "parmi" if among else "hors", path), among, unless)


# --- effects ------------------------------------------------------------------------------------------------------
def _action(spec: Mapping, path: Path) -> ActionEffect:
    deadline = _mapping(spec.get("echeance"), path + ("echeance",))
    where = path + ("echeance",)
    sense = _text(deadline, "sens", where, "apres")
    return ActionEffect(
        _text(spec, "id", path), _text(spec, "acteur", path), _text(spec, "nature", path),
        Deadline(_text(deadline, "depuis", where, "date"), _text(deadline, "delai", where, None), sense == "avant",
                 bool(_flag(deadline, "sans_delai", where, False)),
                 bool(_flag(deadline, "echue_si_absente", where, False)), _text(deadline, "au_plus_tot", where, None)),
        _optional(spec, "accomplie_par", path, lambda raw, at: Fulfilment(
            _text(raw, "evenement", at), _text(raw, "depuis", at, None), _texts(raw, "meme", at),
            bool(_flag(raw, "anticipee", at, False)), _text(raw, "date", at, None))),
        _optional(spec, "si_en_retard", path, lambda raw, at: Lateness(_text(raw, "constat", at),
                                                                        _texts(raw, "cas", at))),
        _texts(spec, "tant_que_statut", path),
    )


def _fee(spec: Mapping, path: Path) -> FeeEffect:
    amount = _mapping(spec.get("montant"), path + ("montant",))
    where = path + ("montant",)
    return FeeEffect(_text(spec, "id", path), _text(spec, "acteur", path),
                     Amount(_text(amount, "parametre", where), _text(amount, "valeur_au", where, "") == "evenement",
                            _optional(amount, "fois", where, _count)),
                     _text(spec, "regroupement", path, "") == "trimestre")


def _count(spec: Mapping, path: Path) -> Count:
    conditions = _mapping(spec.get("si", {}), path + ("si",))
    for key, value in conditions.items():
        if isinstance(value, dict):     # the fee's count compares each item's field with a value, nothing else
            raise _Shape(path + ("si", str(key)), "une valeur que le champ de l'élément doit égaler : aucun "
                         "opérateur dans le compte des frais")
    return Count(_text(spec, "attribut", path, None), _text(spec, "compte", path, None),
                 tuple((str(key), _scalar(value, path + ("si", str(key)))) for key, value in conditions.items()),
                 _optional(spec, "periode", path, lambda raw, at: Period(_text(raw, "depuis", at, None),
                                                                          _text(raw, "jusqu_au", at, None))),
                 _optional(spec, "libelle", path, lambda raw, at: (_text(raw, "un", at), _text(raw, "plusieurs", at))),
                 tuple((str(key), _text(marks, key, path + ("reperes",)))
                       for marks in [_mapping(spec.get("reperes", {}), path + ("reperes",))] for key in marks))


def _status(spec: Mapping, path: Path) -> StatusEffect:
    return StatusEffect(_text(spec, "vers", path),
                        _texts(spec, "depuis_statuts", path) if "depuis_statuts" in spec else None,
                        bool(_flag(spec, "ouvre_periode", path, False)), _effective(spec, path))


def _emit(spec: Mapping, path: Path) -> EmitEffect:
    return EmitEffect(_text(spec, "evenement", path), _effective(spec, path))


def _effective(spec: Mapping, path: Path) -> EffectiveDate | None:
    value = spec.get("a_compter_de")
    if value is None or isinstance(value, str):
        return None if value is None else EffectiveDate(value)
    where = path + ("a_compter_de",)
    block = _mapping(value, where, "doit être un chemin de date ou un bloc {chemin, delai, au_plus_tot}")
    return EffectiveDate(_text(block, "chemin", where), _text(block, "delai", where, None),
                         _text(block, "au_plus_tot", where, None))


def _finding(spec: Mapping, path: Path) -> FindingEffect:
    message = _text(spec, "message", path, None)
    return FindingEffect(_text(spec, "id", path), _template(message, path + ("message",)) if message else None)


_EFFECTS: dict[str, Callable[[Mapping, Path], Effect]] = {
    "action": _action, "frais": _fee, "statut": _status, "emettre": _emit, "constat": _finding}


# --- typed reading ------------------------------------------------------------------------------------------------
def _mapping(value: object, path: Path, message: str = "doit être un bloc (clé : valeur)") -> Mapping:
    if not isinstance(value, dict):
        raise _Shape(path, message)
    return value


def _list(value: object, path: Path) -> list:
    if not isinstance(value, list):
        raise _Shape(path, "doit être une liste")
    return value


def _scalar(value: object, path: Path) -> Scalar:
    if value is not None and not isinstance(value, _SCALARS):
        raise _Shape(path, "doit être une valeur (texte, nombre, vrai/faux)")
    return value


def _text(spec: Mapping, key: str, path: Path, default: Any = _REQUIRED) -> Any:
    if key not in spec:
        if default is _REQUIRED:
            raise _Shape(path, f"« {key} » manque")
        return default
    value = spec[key]
    if not isinstance(value, str):
        raise _Shape(path + (key,), "doit être un texte")
    return value


def _texts(spec: Mapping, key: str, path: Path) -> tuple[str, ...]:
    values = _list(spec.get(key, []), path + (key,))
    if not all(isinstance(value, str) for value in values):
        raise _Shape(path + (key,), "doit être une liste de textes")
    return tuple(values)


def _flag(spec: Mapping, key: str, path: Path, default: Any = _REQUIRED) -> Any:
    if key not in spec:
        if default is _REQUIRED:
            raise _Shape(path, f"« {key} » manque")
        return default
    if not isinstance(spec[key], bool):
        raise _Shape(path + (key,), "doit être vrai ou faux (true, false)")
    return spec[key]


def _optional(spec: Mapping, key: str, path: Path, build: Callable[[Mapping, Path], T]) -> T | None:
    if key not in spec:
        return None
    return build(_mapping(spec[key], path + (key,)), path + (key,))


def _template(text: str, path: Path) -> Template:
    try:
        return Template.parse(text)
    except TemplateError as problem:
        raise _Shape(path, str(problem)) from None
