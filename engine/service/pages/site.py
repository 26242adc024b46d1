"""What every page shares: the templates (Jinja2, autoescaped), the navigation, the policy a page is about, and
errors shown as pages in French."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ...evaluation import today_in_paris
from ...wording import long_date, short_date
from .. import forgery
from ..account_book import AccountBook
from ..accounts import current, require, signed_in
from ..guessing import Guessing
from ..reload import PolicyHolder
from ..sessions import SessionStore
from ..settings import Settings
from . import labels

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
STATIC_URL = "/statique"

# (label, path, role) — the navigation, in the order a person discovers the service; an entry whose role the
# signed-in account lacks is not shown (without accounts, or before signing in, every entry is: each page says why)
NAVIGATION = (
    ("Accueil", "/", "lecture"),
    ("Politiques", "/politiques", "lecture"),
    ("Paramètres", "/parametres", "lecture"),
    ("Règlement", "/reglement", "lecture"),
    ("Changements", "/changements", "lecture"),
    ("Propositions", "/propositions", "lecture"),
    ("Évaluer un dossier", "/evaluer", "instruction"),
    ("Décisions", "/decisions", "instruction"),
)


class PageError(Exception):
    """An error answered as a page: a status, a title, and what the person can do about it."""

    def __init__(self, status: int, title: str, detail: str = ""):
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = detail


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(jour=short_date, jour_long=long_date, horodatage=labels.timestamp)
    env.globals.update(navigation=NAVIGATION, static=STATIC_URL, sens=labels.SENS, jeton_formulaire=forgery.form_token,
                       champ_jeton=forgery.FIELD)
    return env


@dataclass
class Site:
    holder: PolicyHolder
    settings: Settings
    guessing: Guessing
    sessions: SessionStore | None = None
    accounts: AccountBook | None = None

    def __post_init__(self) -> None:
        self.env = _environment()

    async def reader(self, request: Request) -> None:
        """Every page's first step: who is signed in; with accounts configured, someone must be (``lecture``)."""
        account = await signed_in(request)
        if self.accounts is not None:
            require(account, "lecture")

    @staticmethod
    def check_form(request: Request, form) -> None:
        """A POSTed form must carry this browser's anti-forgery value (engine/service/forgery.py), else 403."""
        if not forgery.genuine(request.cookies.get(forgery.COOKIE), form.get(forgery.FIELD)):
            raise PageError(403, "Formulaire refusé", "Ce formulaire ne vient pas d'une page de ce service, ou la "
                                                      "page a expiré : rechargez-la et envoyez-le à nouveau.")

    def render(self, template: str, *, rubrique: str | None = None, status: int = 200,
               headers: dict | None = None, **context) -> HTMLResponse:
        """A template as a page; ``rubrique`` is the navigation entry (its path) the page belongs to."""
        html = self.env.get_template(template).render(rubrique=rubrique, aujourd_hui=today_in_paris(),
                                                      titre_du_site=self.title(), compte=current.get(),
                                                      comptes=self.accounts is not None, **context)
        response = HTMLResponse(html, status_code=status, headers=headers)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def error(self, error: PageError) -> HTMLResponse:
        return self.render("erreur.html", status=error.status, erreur=error)

    # --- the policy a page is about ------------------------------------------------------------------
    def policies(self):
        return self.holder.current

    def title(self) -> str:
        """The site's name: the title of the base policy (the engine itself names no regulation)."""
        return self.policies().get(self.default_policy_id()).title

    def default_policy_id(self) -> str:
        """The policy the navigation opens: the first one that extends none (the base), else the first."""
        policies = list(self.policies())
        return next((p.id for p in policies if not p.extends), policies[0].id)

    def policy(self, policy_id: str):
        policies = self.policies()
        if policy_id not in policies.ids():
            raise PageError(404, f"Aucune politique « {policy_id} » en service",
                            "Les politiques en service sont listées sur la page Politiques.")
        return policies.get(policy_id)


def parse_day(value: str | None, field: str = "date") -> date | None:
    """A date from a query or a form (AAAA-MM-JJ, what <input type=date> sends); None when empty."""
    if value is None or not value.strip():
        return None
    try:
        if len(value.strip()) != 10:
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PageError(422, f"Date invalide : « {value[:40]} »",
                        f"Le champ {field} attend une date au format AAAA-MM-JJ, par exemple 2026-11-27.") from None
