"""Proposals of a change to the policies, made and approved without a terminal: a working copy written as a person
would (writing.py), checked (checks.py), kept with its history (store.py, model.py), its impact measured in the
background (impact.py), and published once a second person approves it (publishing.py). No HTTP here: the
service's pages (engine/service/pages/proposals*.py) call these."""
from .checks import conflicting, stale_files
from .model import CORRECTION, NEW_VALUE, OPEN, PUBLISHED, REFUSAL, WITHDRAWAL, Change, Person, Proposal
from .proposing import ProposalInvalid, ProposalRefused, close, propose, refresh_checks, renew, update_case
from .publishing import PublishError, approve
from .store import ProposalStore, Unavailable, unavailable_reason
from .wording import change_text, previous_value, value_words

__all__ = [
    "CORRECTION",
    "NEW_VALUE",
    "OPEN",
    "PUBLISHED",
    "REFUSAL",
    "WITHDRAWAL",
    "Change",
    "Person",
    "Proposal",
    "ProposalInvalid",
    "ProposalRefused",
    "ProposalStore",
    "PublishError",
    "Unavailable",
    "approve",
    "change_text",
    "close",
    "conflicting",
    "previous_value",
    "propose",
    "refresh_checks",
    "renew",
    "stale_files",
    "unavailable_reason",
    "update_case",
    "value_words",
]
