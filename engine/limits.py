"""The declared limits: what bounds the work, the memory and the answer one document or one request can cause.

Each limit is enforced where the input enters (documents.py, evaluation/facts.py, service/, batch/) and is
documented in the README ("Limits") and, for the HTTP service, in /openapi.json. Beyond a limit the input is
refused with a problem that names it, never half-processed.
"""
from __future__ import annotations

MiB = 1024 ** 2

# --- any document: facts (YAML, JSON, Python data) and policy files -------------------------------------------
MAX_DEPTH = 32                  # nesting levels of objects and lists (a facts document needs 6)
MAX_STRING_LENGTH = 10_000      # characters in one string
MAX_NUMBER_LENGTH = 30          # characters of one number as written (no 5,000-digit integers)

# --- facts --------------------------------------------------------------------------------------------------------
MAX_EVENTS = 2_000              # events in one dossier
MAX_PROBLEMS = 100              # problems listed for one document; the rest are only counted
MAX_FACTS_BYTES = 10 * MiB      # a facts document read from a file or standard input

# --- policy folders -------------------------------------------------------------------------------------------------
MAX_POLICY_FILE_BYTES = 1 * MiB     # one policy file (regular files only, inside their folder)
MAX_POLICY_VALUES = 200_000         # values in one policy file once its YAML aliases are expanded
RELOAD_TIMEOUT = 60.0               # seconds a reload of the service may take before it is given up

# --- text fields of the web pages, whose texts are stored whole: longer is refused, never cut ---------------------
MAX_FORM_TEXT = 250             # characters in a field stored in a YAML file of the served folder
MAX_FORM_REASON = 500           # characters in a field stored in a JSON history beside it

# --- evaluate-batch -------------------------------------------------------------------------------------------------
MAX_LINE_BYTES = 1 * MiB        # one line of JSON lines input

# --- HTTP service defaults (settings may change the first three) -----------------------------------------------------
MAX_BODY_BYTES = 1 * MiB        # a request body
MAX_BATCH_ITEMS = 100           # evaluation requests in one batch
MAX_CONNECTIONS = 1_000         # connections served at once; beyond, 503
HEADER_TIMEOUT = 10.0           # seconds to send a request's line and headers
BODY_TIMEOUT = 30.0             # seconds to send a request's body
KEEP_ALIVE_TIMEOUT = 5          # seconds an idle connection is kept open
MAX_HEADERS = 100               # header lines in one request; beyond, 431
