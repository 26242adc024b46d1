"""The accounts the service knows, read again from their file whenever it changes: a removed account, a removed role
or a new password takes effect at the next request. A file that became unreadable opens nothing (every session is
refused, every sign-in fails) until it is mended: the last good accounts are not kept alive."""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from .account_file import AccountsError, Entry, read_accounts
from .accounts import SUBJECT_PREFIX, Account
from .passwords import fingerprint, verify

logger = logging.getLogger("clea.service")


def subject_of(entry: Entry) -> str:
    """Whom a session is opened for: the account, under its password's hash (a new password closes it)."""
    return f"{SUBJECT_PREFIX}{entry.account.identifiant}:{fingerprint(entry.password_hash)}"


class AccountBook:
    """The accounts file at ``path``; the first read raises AccountsError (the service refuses to start)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._entries = read_accounts(self.path)
        self._stamp = self._stat()
        self.problems: list[str] = []

    def _stat(self) -> tuple | None:
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return (found.st_ino, found.st_mtime_ns, found.st_size)

    def entries(self) -> dict[str, Entry]:
        """The accounts as the file says now (read again when its inode, time or size changed)."""
        stamp = self._stat()
        if stamp == self._stamp:
            return self._entries
        with self._lock:
            if stamp != self._stamp:
                try:
                    self._entries, self.problems = read_accounts(self.path), []
                except AccountsError as error:
                    self._entries, self.problems = {}, [str(issue) for issue in error.issues]
                    logger.error("accounts file %s unusable, every session refused: %s", self.path,
                                 "; ".join(self.problems))
                self._stamp = stamp
        return self._entries

    def authenticate(self, identifier: str, password: str) -> Entry | None:
        """The entry whose password this is, or None (a wrong password and an unknown account take the same time)."""
        entry = self.entries().get(identifier)
        if not verify(entry.password_hash if entry else None, password):
            return None
        return entry

    def account_of(self, subject: str) -> Account | None:
        """The account a session is for, if it still exists with the same password; None otherwise."""
        if not subject.startswith(SUBJECT_PREFIX):
            return None
        identifier = subject[len(SUBJECT_PREFIX):].rpartition(":")[0]
        entry = self.entries().get(identifier)
        return entry.account if entry is not None and subject_of(entry) == subject else None
