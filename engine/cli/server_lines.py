"""The server's own lines in French: uvicorn's start-up, shutdown and process messages, said as an administration
writes them (the level words, INFO and WARNING, stay: log tools read them). A line not in the table passes as is."""
from __future__ import annotations

import copy
import logging
import re
from typing import Any

_SAID = [(re.compile(pattern), french) for pattern, french in [
    (r"^Started server process \[(\d+)\]$", r"processus du serveur démarré [\1]"),
    (r"^Finished server process \[(\d+)\]$", r"processus du serveur terminé [\1]"),
    (r"^Started parent process \[(\d+)\]$", r"processus parent démarré [\1]"),
    (r"^Stopping parent process \[(\d+)\]$", r"arrêt du processus parent [\1]"),
    (r"^Waiting for child process \[(\d+)\]$", r"attente du processus enfant [\1]"),
    (r"^Terminated child process \[(\d+)\]$", r"processus enfant arrêté [\1]"),
    (r"^Child process \[(\d+)\] died$", r"le processus enfant [\1] s'est arrêté"),
    (r"^Waiting for application startup\.$", "démarrage de l'application…"),
    (r"^Application startup complete\.$", "application démarrée"),
    (r"^Application startup failed\. Exiting\.$", "échec du démarrage de l'application : arrêt"),
    (r"^Waiting for application shutdown\.$", "arrêt de l'application…"),
    (r"^Application shutdown complete\.$", "application arrêtée"),
    (r"^Shutting down$", "arrêt du serveur"),
    (r"^Uvicorn running on (\S+) \(Press CTRL\+C to quit\)$", r"le service écoute sur \1 (Ctrl+C pour l'arrêter)"),
    (r"^Waiting for connections to close\. \(CTRL\+C to force quit\)$",
     "attente de la fin des connexions en cours (Ctrl+C pour forcer l'arrêt)"),
    (r"^Waiting for background tasks to complete\. \(CTRL\+C to force quit\)$",
     "attente de la fin des tâches en cours (Ctrl+C pour forcer l'arrêt)"),
    (r"^Received (SIG[A-Z]+), exiting\.$", r"signal \1 reçu : arrêt"),
]]


def in_french(message: str) -> str:
    for pattern, french in _SAID:
        if pattern.match(message):
            return pattern.sub(french, message)
    return message


class French(logging.Filter):
    """Rewrites each record's message before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        said = in_french(record.getMessage())
        if said != record.getMessage():
            record.msg, record.args = said, ()
            record.__dict__.pop("color_message", None)
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with the French filter on each of its handlers."""
    from uvicorn.config import LOGGING_CONFIG
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["french"] = {"()": French}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("french")
    return config
