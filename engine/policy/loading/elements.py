"""A checked policy's raw data -> its typed parts besides rules and dossier (engine/policy/model/elements.py).

Each value is read with the shape it must have (loading/shapes.py); a wrong shape, or a text whose placeholders
cannot be parsed, is an Issue at its line, returned with the others.
"""
from __future__ import annotations

from dataclasses import replace

from ...calendar import Conventions, Territory
from ...errors import Issue
from ...suggestions import unknown
from ..model.elements import (
    SCOPE_NAMES,
    ActorModel,
    CalendarModel,
    Conformity,
    ConventionsVersion,
    Currency,
    Decision,
    DurationUnit,
    Elements,
    EventType,
    EventVersion,
    FindingType,
    Head,
    IdentityField,
    PeriodModel,
    PeriodVersion,
    Renewal,
    RequiredIf,
    Scope,
    Session,
    Sessions,
    SeverityVersion,
    StatusModel,
    StatusValue,
    TerritoryModel,
    TerritoryVersion,
)
from ..model.templates import Template, TemplateError
from .shapes import Path, Shapes, SourceMap

MAIN = ("politique",)


def build_elements(assembled: dict, sources: SourceMap) -> tuple[Elements, list[Issue]]:
    """The typed parts of a (schema-valid) policy, and the shape problems found building them."""
    shapes = Shapes(sources)
    main = shapes.mapping(assembled, "politique", ())
    statuses = shapes.mapping(assembled, "statuts", ())
    calendar = shapes.mapping(assembled, "calendrier", ())
    events = shapes.mapping(assembled, "evenements", ())
    elements = Elements(
        head=_head(shapes, main),
        statuses=_statuses(shapes, statuses),
        calendar=_calendar(shapes, calendar),
        event_types=(shapes.entries(events, "types", ("evenements",), lambda n, s, p: _event(shapes, n, s, p))),
        derived_events=(shapes.entries(events, "derives", ("evenements",),
                                              lambda n, s, p: _event(shapes, n, s, p), required=False)),
        findings=_findings(shapes, assembled),
    )
    return elements, shapes.issues


def _head(shapes: Shapes, main: dict) -> Head:
    conformity = shapes.mapping(main, "conformite", MAIN)
    where = MAIN + ("conformite",)
    return Head(
        id=shapes.text(main, "id", MAIN),
        version=shapes.text(main, "version", MAIN),
        title=shapes.text(main, "titre", MAIN),
        text=shapes.optional_text(main, "texte", MAIN),
        instances=shapes.texts(main, "instances", MAIN, required=True),
        conformity=Conformity(shapes.texts(conformity, "gravites", where), shapes.texts(conformity, "acteurs", where),
                              shapes.texts(conformity, "statuts", where)),
        currencies=(shapes.entries(main, "unites_monetaires", MAIN, lambda unit, spec, path: Currency(
            unit, shapes.text(spec, "devise", path), shapes.text(spec, "champ_montant", path),
            shapes.optional_text(spec, "symbole", path)))),
        identity=shapes.items(main, "identite", MAIN, lambda _, item, path: IdentityField(
            shapes.text(item, "cle", path), shapes.text(item, "chemin", path), shapes.text(item, "titre", path))),
        natures=(shapes.entries(main, "natures", MAIN, lambda _, spec, path: shapes.text(spec, "titre", path),
                                       required=False)),
        scope=_scope(shapes, main),
        extends=shapes.optional_text(main, "etend", MAIN),
    )


def _scope(shapes: Shapes, main: dict) -> Scope | None:
    spec = shapes.mapping(main, "portee", MAIN, required=False)
    if not spec:
        return None
    where = MAIN + ("portee",)
    return Scope(shapes.text(spec, "nom", where), shapes.text(spec, "valeur", where),
                 shapes.text(spec, "libelle", where), shapes.text(spec, "article", where),
                 shapes.text(spec, "chemin_des_faits", where), _template(shapes, spec, "message", where, SCOPE_NAMES),
                 _template(shapes, spec, "message_base", where, SCOPE_NAMES))


def _template(shapes: Shapes, spec: dict, key: str, path: Path, names: tuple[str, ...]) -> Template:
    """A policy text parsed into its parts; a brace that holds no placeholder, or one naming none of `names`, is a
    problem at its line."""
    text = shapes.text(spec, key, path)
    try:
        template = Template.parse(text)
    except TemplateError as exc:
        shapes.problem(path + (key,), str(exc))
        return Template(text, (text,))
    for placeholder in template.unknown(names):
        shapes.problem(path + (key,), unknown("le texte cite une variable inconnue", str(placeholder),
                                              [f"{{{name}}}" for name in names]))
    return template


def _statuses(shapes: Shapes, spec: dict) -> StatusModel:
    where: Path = ("statuts",)
    values = shapes.entries(spec, "valeurs", where, lambda name, value, path: StatusValue(
        name, shapes.text(value, "article", path), shapes.text(value, "titre", path),
        shapes.optional_text(value, "famille", path)))
    period = shapes.mapping(spec, "periode", where, required=False)
    return StatusModel(values, shapes.text(spec, "initial", where),
                       _period(shapes, period, where + ("periode",)) if period else None)


def _period(shapes: Shapes, spec: dict, where: Path) -> PeriodModel:
    first = PeriodModel(
        shapes.text(spec, "nom", where), shapes.text(spec, "article", where),
        shapes.texts(spec, "statuts_actifs", where, required=True), shapes.text(spec, "duree", where),
        shapes.text(spec, "statut_a_echeance", where), _renewal(shapes, spec, where))
    versions: list[PeriodVersion] = []
    before = (first.duration, first.status_at_expiry, first.renewal)
    for number, raw in enumerate(spec.get("versions") or [], 1):     # each states what it changes
        at = where + ("versions", number - 1)
        decision = shapes.mapping(raw, "decision", at)
        version = PeriodVersion(
            shapes.day(raw, "depuis", at),
            Decision(shapes.text(decision, "reference", at + ("decision",)),
                     shapes.day(decision, "date", at + ("decision",))),
            shapes.text(raw, "duree", at) if "duree" in raw else before[0],
            shapes.text(raw, "statut_a_echeance", at) if "statut_a_echeance" in raw else before[1],
            _renewal(shapes, raw, at) if "renouvellement" in raw else before[2], number)
        before = (version.duration, version.status_at_expiry, version.renewal)
        versions.append(version)
    return replace(first, versions=tuple(versions)) if versions else first


def _renewal(shapes: Shapes, spec: dict, where: Path) -> Renewal | None:
    renewal = shapes.mapping(spec, "renouvellement", where, required=False)
    again = where + ("renouvellement",)
    return Renewal(shapes.text(renewal, "article", again), shapes.text(renewal, "duree", again),
                   shapes.text(renewal, "nombre", again), _renewal_events(shapes, renewal, again),
                   shapes.texts(renewal, "sauf_statuts", again)) if renewal else None


def _renewal_events(shapes: Shapes, renewal: dict, where: Path) -> tuple[str, ...]:
    """`si_evenement`: one event type, or a list of them (any one of them in the period renews it)."""
    if isinstance(renewal.get("si_evenement"), str):
        return (renewal["si_evenement"],)
    return shapes.texts(renewal, "si_evenement", where)


def _conventions(shapes: Shapes, spec: dict, where: Path, before: Conventions | None = None) -> Conventions:
    """The conventions as written (an amendment states what it changes: the rest is `before`)."""
    return Conventions(
        shapes.flag(spec, "avant_jours_francs", where, required=True) if before is None or "avant_jours_francs" in spec
        else before.backward_clear_days,
        shapes.flag(spec, "report_jour_non_ouvre", where, required=True) if before is None
        or "report_jour_non_ouvre" in spec else before.extend_to_working_day)


def _convention_versions(shapes: Shapes, spec: dict, where: Path,
                         before: Conventions) -> tuple[ConventionsVersion, ...]:
    versions = []
    for number, raw in enumerate(spec.get("versions") or [], 1):
        at = where + ("versions", number - 1)
        decision = shapes.mapping(raw, "decision", at)
        before = _conventions(shapes, raw, at, before)
        versions.append(ConventionsVersion(shapes.day(raw, "depuis", at), Decision(
            shapes.text(decision, "reference", at + ("decision",)), shapes.day(decision, "date", at + ("decision",))),
            before, number))
    return tuple(versions)


def _territory(shapes: Shapes, name: str, node: dict, where: Path, before: Territory | None = None) -> Territory:
    """A territory as written (an amendment states what it changes: the rest is `before`)."""
    if before is None:
        return Territory(name, shapes.text(node, "pays", where), shapes.optional_text(node, "subdivision", where),
                         shapes.texts(node, "exclure", where), shapes.texts(node, "ajouter", where))
    return Territory(name, shapes.text(node, "pays", where) if "pays" in node else before.country,
                     shapes.optional_text(node, "subdivision", where) if "subdivision" in node else before.subdivision,
                     shapes.texts(node, "exclure", where) if "exclure" in node else before.removed,
                     shapes.texts(node, "ajouter", where) if "ajouter" in node else before.added)


def _territory_versions(shapes: Shapes, name: str, node: dict, where: Path,
                        before: Territory) -> tuple[TerritoryVersion, ...]:
    versions = []
    for number, raw in enumerate(node.get("versions") or [], 1):
        at = where + ("versions", number - 1)
        decision = shapes.mapping(raw, "decision", at)
        before = _territory(shapes, name, raw, at, before)
        versions.append(TerritoryVersion(shapes.day(raw, "depuis", at), Decision(
            shapes.text(decision, "reference", at + ("decision",)), shapes.day(decision, "date", at + ("decision",))),
            before, number))
    return tuple(versions)


def _calendar(shapes: Shapes, spec: dict) -> CalendarModel:
    where: Path = ("calendrier",)
    years = shapes.mapping(spec, "annees", where)
    conventions = shapes.mapping(spec, "conventions", where)
    return CalendarModel(
        years=(shapes.integer(years, "debut", where + ("annees",)), shapes.integer(years, "fin", where + ("annees",))),
        conventions=(first := _conventions(shapes, conventions, where + ("conventions",))),
        convention_versions=_convention_versions(shapes, conventions, where + ("conventions",), first),
        duration_units=(shapes.entries(spec, "unites_de_duree", where, lambda unit, node, path: DurationUnit(
            unit, shapes.text(node, "compte", path), shapes.optional_text(node, "titre", path)))),
        default_territory=shapes.text(spec, "territoire_par_defaut", where),
        territories=(shapes.entries(spec, "territoires", where, lambda name, node, path: TerritoryModel(
            name, (first_territory := _territory(shapes, name, node, path)), shapes.optional_text(node, "titre", path),
            _territory_versions(shapes, name, node, path, first_territory)))),
        actors=(shapes.entries(spec, "acteurs", where, lambda actor, node, path: ActorModel(
            actor, shapes.optional_text(node, "territoire", path), shapes.optional_text(node, "territoire_des_faits", path),
            shapes.optional_text(node, "titre", path)))),
        sessions=_sessions(shapes, shapes.mapping(spec, "sessions", where, required=False), where + ("sessions",)),
    )


def _sessions(shapes: Shapes, spec: dict, where: Path) -> Sessions | None:
    if not spec:
        return None
    listed = shapes.items(spec, "liste", where, lambda index, node, path: Session(
        shapes.day(node, "depot_du", path), shapes.day(node, "depot_au", path), shapes.day(node, "reunion", path),
        index))
    return Sessions(shapes.text(spec, "article", where), shapes.text(spec, "depot", where),
                    shapes.text(spec, "reunion", where), listed)


def _event(shapes: Shapes, name: str, spec: dict, where: Path) -> EventType:
    attributes = shapes.entries(spec, "attributs", where, lambda _, schema, path: schema, required=False)
    def required_if(node: dict, at: Path) -> tuple[RequiredIf, ...]:
        return shapes.items(node, "requis_si", at, lambda _, case, path: RequiredIf(
            dict(shapes.mapping(case, "si", path)), shapes.texts(case, "requis", path, required=True)))
    first = EventType(name, shapes.text(spec, "article", where), shapes.text(spec, "titre", where),
                      shapes.flag(spec, "planifie", where), (attributes), shapes.texts(spec, "requis", where),
                      required_if(spec, where), dict(shapes.mapping(spec, "defauts", where, required=False)))
    versions: list[EventVersion] = []
    before: EventType | EventVersion = first
    for number, raw in enumerate(spec.get("versions") or [], 1):     # each states what it changes
        at = where + ("versions", number - 1)
        decision = shapes.mapping(raw, "decision", at)
        before = EventVersion(
            shapes.day(raw, "depuis", at), Decision(shapes.text(decision, "reference", at + ("decision",)),
                                                    shapes.day(decision, "date", at + ("decision",))),
            shapes.entries(raw, "attributs", at, lambda _, schema, path: schema) if "attributs" in raw
            else before.attributes, shapes.texts(raw, "requis", at) if "requis" in raw else before.required,
            dict(shapes.mapping(raw, "defauts", at)) if "defauts" in raw else before.defaults, number,
            required_if(raw, at) if "requis_si" in raw else before.required_if)
        versions.append(before)
    return replace(first, versions=tuple(versions)) if versions else first


def _findings(shapes: Shapes, assembled: dict) -> dict[str, FindingType]:
    return shapes.entries(assembled, "constats", (), lambda name, spec, where: _finding(shapes, name, spec, where),
                          required=False)


def _finding(shapes: Shapes, name: str, spec: dict, where: Path) -> FindingType:
    return FindingType(name, shapes.text(spec, "article", where), shapes.text(spec, "gravite", where),
                       shapes.text(spec, "titre", where), shapes.texts(spec, "articles", where),
                       shapes.items(spec, "versions", where, lambda _, node, at: SeverityVersion(
                           shapes.day(node, "depuis", at), shapes.text(node, "gravite", at),
                           shapes.text(shapes.mapping(node, "decision", at), "reference", at + ("decision",)))))
