"""Évaluer un dossier: a facts document (pasted or uploaded, YAML or JSON) and a date -> the verdict as a page.

    GET  /evaluer                     the form (``?exemple=NAME`` fills it with one of the project's examples)
    POST /evaluer                     document / fichier / date -> the verdict page, or the form with each error
                                      next to the line and path it concerns (422)

Each verdict is a decision like any other: evaluated on the engine thread and committed to the decision log
before the page is sent (caller "pages web"). With accounts configured, the page and evaluating need the role ``instruction``.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile

from ...errors import FactsError, Issue
from ...evaluation import facts_lines, parse_facts_text
from ...shipped import examples_folder
from ..accounts import require, signed_in
from ..problems import Problem
from .site import PageError, Site
from .verdict import verdict_view

RUBRIQUE = "/evaluer"
EXAMPLES_DIR = examples_folder()
CALLER = "pages web"


def examples() -> list[str]:
    return sorted(path.stem for path in EXAMPLES_DIR.glob("*.yaml")) if EXAMPLES_DIR.is_dir() else []


def _placed(issues: list[Issue], line_of=None) -> list[dict]:
    """Each issue with the line it concerns: its own (a syntax error), else the line of its path in the document
    (`line_of`, given once the document was read)."""
    placed = [{"chemin": issue.path or "$", "message": issue.message,
               "ligne": issue.line or (line_of(issue.path) if line_of and issue.path not in ("", "$") else None)}
              for issue in issues]
    return sorted(placed, key=lambda problem: (problem["ligne"] or 0, problem["chemin"]))


def _annotated(text: str, problems: list[dict]) -> list[dict]:
    """The document line by line, each with the problems found on it."""
    by_line: dict[int, list[dict]] = {}
    for problem in problems:
        if problem["ligne"]:
            by_line.setdefault(problem["ligne"], []).append(problem)
    return [{"numero": number, "texte": line, "problemes": by_line.get(number, [])}
            for number, line in enumerate(text.splitlines() or [""], start=1)]


async def _read_form(request: Request, limit: int) -> tuple[str, str, str]:
    """(document text, its name, date) from the form; a file chosen wins over the pasted text."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PageError(413, "Document trop volumineux", f"Le formulaire dépasse la taille acceptée ({limit} o).")
    form = await request.form(max_files=1, max_fields=10, max_part_size=limit)
    Site.check_form(request, form)
    upload = form.get("fichier")
    text, name = str(form.get("document") or ""), "document"
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(limit + 1)
        if len(raw) > limit:
            raise PageError(413, "Fichier trop volumineux", f"Le fichier dépasse la taille acceptée ({limit} o).")
        try:
            text, name = raw.decode("utf-8"), Path(upload.filename).name
        except UnicodeDecodeError:
            raise PageError(422, "Fichier illisible", "Le fichier doit être un texte UTF-8 (YAML ou JSON).") from None
    return text, name, str(form.get("date") or "").strip()


def add_routes(router: APIRouter, site: Site, decisions) -> None:
    def form_page(*, document: str = "", date: str = "", nom: str = "", erreurs=None, status: int = 200,
                  erreur_date: str | None = None):
        lignes = _annotated(document, erreurs) if erreurs and document else None
        return site.render("evaluer.html", rubrique=RUBRIQUE, status=status, document=document, date=date,
                           nom=nom, erreurs=erreurs or [], lignes=lignes, exemples=examples(),
                           erreur_date=erreur_date, limite=site.settings.max_body_bytes)

    @router.get("/evaluer")
    async def evaluate_form(request: Request, exemple: str | None = None, date: str | None = None):
        if site.accounts is not None:
            require(await signed_in(request), "instruction")
        document = ""
        if exemple:
            if exemple not in examples():
                raise PageError(404, f"Aucun exemple « {exemple[:60]} »", "Les exemples sont proposés sur la page.")
            document = (EXAMPLES_DIR / f"{exemple}.yaml").read_text(encoding="utf-8")
        return form_page(document=document, date=date or "", nom=f"{exemple}.yaml" if exemple else "")

    @router.post("/evaluer")
    async def evaluate(request: Request):
        if site.accounts is not None:       # a decision of the log: an instructor's (public pages without accounts)
            require(await signed_in(request), "instruction")
        text, name, day = await _read_form(request, site.settings.max_body_bytes)
        if not text.strip():
            return form_page(date=day, status=422, erreurs=[{"chemin": "$", "ligne": None, "message":
                             "Le document est vide : collez les faits du dossier ou choisissez un fichier."}])
        try:
            facts = parse_facts_text(text, name)
        except FactsError as error:
            return form_page(document=text, date=day, nom=name, status=422, erreurs=_placed(error.issues))
        envelope = {"faits": facts, **({"date": day} if day else {})}
        client = request.client.host if request.client else None
        try:
            [result] = await decisions.decide([envelope], {"appelant": CALLER, "adresse": client}, explain=True)
        except Problem as problem:   # the decision log cannot be written: nothing is shown unlogged
            raise PageError(problem.status, problem.title, problem.detail or "") from problem
        if isinstance(result, Problem):
            date_issues = [issue for issue in result.issues if issue.path == "date"]
            facts_issues = [Issue(issue.path.removeprefix("faits").lstrip("."), issue.message)
                            for issue in result.issues if issue.path != "date"]
            problems = _placed(facts_issues, facts_lines(text, name)) + _placed(date_issues)
            return form_page(document=text, date=day, nom=name, status=422, erreurs=problems,
                             erreur_date="; ".join(issue.message for issue in date_issues) or None)
        verdict = {key: value for key, value in result.items() if key != "decision_id"}
        policy = site.policies().for_instance(verdict["instance"])
        return site.render("verdict.html", rubrique=RUBRIQUE, nom=name,
                           **verdict_view(verdict, facts, policy, decision_id=result["decision_id"],
                                        policies=site.policies()))
