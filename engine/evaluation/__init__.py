"""Evaluation: facts -> verdict (facts validation, the durable_rules session, rounds of events, actions, fees,
status and period, dossier checks, verdict assembly)."""
from .evaluate import evaluate, evaluate_checked, prepare, today_in_paris
from .facts import facts_lines, parse_facts_text

__all__ = ["evaluate", "evaluate_checked", "facts_lines", "parse_facts_text", "prepare", "today_in_paris"]
