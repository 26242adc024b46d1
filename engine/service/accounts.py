"""Accounts and roles of the pages (``clea serve --accounts FILE``): who is signed in, and what they may do.

    lecture       read the pages (every role implies it)
    instruction   evaluate dossiers on the pages, read the decision log
    proposition   propose a change, only to the policies listed in the account's ``politiques``
    approbation   approve (or refuse) a change someone else proposed

A page asks ``require(await signed_in(request), role, policy)``: it returns the account, or raises
:class:`Forbidden`, which the pages answer with a French 403 page, or a redirect to the sign-in page (with the
page to come back to) when nobody is signed in (engine/service/pages/signin.py). The accounts are kept in a file
the administrator manages with ``clea account`` (engine/service/account_file.py), read again when it changes
(engine/service/account_book.py); a session is opened in the decision log's database under
``compte:<identifiant>:<fingerprint of the password's hash>`` (engine/service/sessions.py).
"""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from .decision_log import DecisionLogError

ROLES = ("lecture", "instruction", "proposition", "approbation")
SESSION_COOKIE = "clea_session"
SUBJECT_PREFIX = "compte:"

# the account of the request being answered (set by signed_in, read by the pages' header)
current: ContextVar[Account | None] = ContextVar("clea_account", default=None)


@dataclass(frozen=True)
class Account:
    identifiant: str
    nom: str
    roles: frozenset[str]
    politiques: frozenset[str]

    def may(self, role: str, policy: str | None = None) -> bool:
        """May this account act in ``role``? ``proposition`` is limited to the account's policies (with no policy
        given: to at least one); every role implies ``lecture``."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")
        if role == "lecture":
            return bool(self.roles)
        if role not in self.roles:
            return False
        if role == "proposition":
            return policy in self.politiques if policy is not None else bool(self.politiques)
        return True


class Forbidden(Exception):
    """The account (None: nobody signed in) may not act in ``role`` (for ``policy``): a 403 page, or the sign-in."""

    def __init__(self, account: Account | None, role: str, policy: str | None = None) -> None:
        super().__init__(f"{role} needed" + (f" for {policy}" if policy else ""))
        self.account, self.role, self.policy = account, role, policy


def require(account: Account | None, role: str, policy: str | None = None) -> Account:
    """The account, when it may act in ``role`` (for ``policy``); else raises Forbidden."""
    if account is None or not account.may(role, policy):
        raise Forbidden(account, role, policy)
    return account


async def signed_in(request: Request) -> Account | None:
    """The account of the request's session cookie: None when accounts are not configured, nobody is signed in, the
    session is closed or expired, the account was removed or its password changed since the session opened."""
    if hasattr(request.state, "clea_account"):       # asked already while answering this request
        known: Account | None = request.state.clea_account
        return known
    account = await _lookup(request)
    request.state.clea_account = account
    current.set(account)
    return account


async def _lookup(request: Request) -> Account | None:
    book = getattr(request.app.state, "accounts", None)
    sessions = getattr(request.app.state, "sessions", None)
    session_id = request.cookies.get(SESSION_COOKIE)
    if book is None or sessions is None or not session_id:
        return None
    try:
        subject = await run_in_threadpool(sessions.subject, session_id)
    except DecisionLogError:
        return None
    return await run_in_threadpool(book.account_of, subject) if subject else None
