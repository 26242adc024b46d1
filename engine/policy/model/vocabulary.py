"""The words of the policy language that the engine itself defines (not the regulation's).

Rules react to events; besides the events of the policy's catalogue, the engine produces these:
"""

# A deadline passed without the action being accomplished in time (attributes: action, acteur, echeance,
# declencheur = the event that started the action). Dated the day after the due date.
DEADLINE_PASSED = "echeance_depassee"
TRIGGER = "declencheur"
# The period of the status file: its last day (attributes: debut, renouvelable), each anniversary while it is
# held (numero, debut), and the first day it is no longer held (debut, cause = the status reached).
PERIOD_END = "periode_fin"
PERIOD_ANNIVERSARY = "periode_anniversaire"
PERIOD_OVER = "periode_terminee"

ENGINE_EVENTS = {
    DEADLINE_PASSED: {"action", "acteur", "echeance", TRIGGER},
    PERIOD_END: {"debut", "renouvelable"},
    PERIOD_ANNIVERSARY: {"numero", "debut"},
    PERIOD_OVER: {"debut", "cause"},
}
# Which of their attributes hold a date, and which a status, for the texts that quote them (written 15/09/2026 and by
# the status's title).
ENGINE_EVENT_DATES = frozenset({"echeance", "debut"})
ENGINE_EVENT_STATUSES = frozenset({"cause"})
# How the reports name them (the engine's own words, not a regulation's).
ENGINE_EVENT_TITLES = {
    DEADLINE_PASSED: "Échéance dépassée",
    PERIOD_END: "Dernier jour de la période",
    PERIOD_ANNIVERSARY: "Anniversaire de la période",
    PERIOD_OVER: "Premier jour après la période",
}
PERIOD_EVENTS = frozenset({PERIOD_END, PERIOD_ANNIVERSARY, PERIOD_OVER})

# The families a status may belong to (`famille` in the statuses file): the pages give each its own colour, so a
# suspension never looks like a status in force; the status's title always says it in words too.
STATUS_FAMILIES = ("candidature", "active", "suspendue", "terminee", "refusee")

# What a rule does when it fires: exactly one of these blocks.
RULE_EFFECTS = ("action", "frais", "statut", "emettre", "constat")
