"""``clea serve``: run the HTTP verdict service (one process; run several behind a load balancer to scale)."""
from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path

from ..errors import PolicyError
from ..limits import KEEP_ALIVE_TIMEOUT
from ..service.decision_log import DecisionLogError, log_target
from ..service.masking import MaskPathError, parse_paths
from ..service.settings import Settings, parse_count, parse_seconds, parse_size

NAME = "serve"


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        NAME, help="run the HTTP verdict service",
        description="Serve verdicts over HTTP (POST /v1/evaluations, OpenAPI at /openapi.json). Settings not given "
                    "as options come from CLEA_* environment variables; the reload token only from "
                    "CLEA_RELOAD_TOKEN. SIGHUP reloads the policies.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on, 0 for any free one (default: 8000)")
    parser.add_argument("--policies", metavar="DIR", help="policy folder (default: $CLEA_POLICIES or the project's policies/)")
    parser.add_argument("--log", metavar="PATH",
                        help="decision log: a SQLite file, or postgresql://user@host/base shared by several servers "
                             "(default: $CLEA_LOG or clea-decisions.sqlite3)")
    parser.add_argument("--log-max-size", metavar="SIZE", help="refuse to answer once the log reaches SIZE (e.g. 2G)")
    parser.add_argument("--mask", metavar="JSON_PATH", action="append",
                        help="a path masked in the log beside the fields the schemas mark x-donnees-personnelles, "
                             "e.g. 'faits.organisme.denomination'; repeat it")
    parser.add_argument("--max-body", metavar="SIZE", help="largest request body accepted (default: 1M)")
    parser.add_argument("--max-batch", metavar="N", help="most evaluation requests in one batch (default: 100)")
    parser.add_argument("--max-connections", metavar="N", help="connections served at once (default: 1000)")
    parser.add_argument("--header-timeout", metavar="SECONDS",
                        help="time to send a request's line and headers, then the connection is closed (default: 10)")
    parser.add_argument("--body-timeout", metavar="SECONDS", help="time to send a request's body, then 408 (default: 30)")
    parser.add_argument("--no-access-log", action="store_true", help="do not log each HTTP request")
    parser.set_defaults(handler=run)
    return parser


def _settings(args) -> Settings:
    settings = Settings.from_env()
    if args.policies:
        settings = replace(settings, policies_dir=Path(args.policies))
    if args.log:
        settings = replace(settings, log_path=log_target(args.log))
    if args.log_max_size:
        settings = replace(settings, log_max_bytes=parse_size(args.log_max_size))
    if args.mask:
        settings = replace(settings, mask_paths=tuple(args.mask))
    if args.max_body:
        settings = replace(settings, max_body_bytes=parse_size(args.max_body))
    if args.max_batch:
        settings = replace(settings, max_batch_items=parse_count(args.max_batch, "--max-batch"))
    if args.max_connections:
        settings = replace(settings, max_connections=parse_count(args.max_connections, "--max-connections"))
    if args.header_timeout:
        settings = replace(settings, header_timeout=parse_seconds(args.header_timeout, "--header-timeout"))
    if args.body_timeout:
        settings = replace(settings, body_timeout=parse_seconds(args.body_timeout, "--body-timeout"))
    parse_paths(settings.mask_paths)  # a malformed path is an argument error, found before start-up
    return settings


def _log_to_stderr() -> None:
    """The service's own messages (reloads, log failures), beside uvicorn's and in its format."""
    logger = logging.getLogger("clea")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-9s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def run(args, stdout, stderr) -> int:
    try:
        import uvicorn

        from ..service.app import create_app
        from ..service.protocol import guarded_protocol
    except ImportError as exc:
        print(f"clea serve: the HTTP service needs the 'service' extra ({exc.name} is missing): "
              "pip install -e '.[service]'", file=stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print(f"clea serve: --port {args.port} is not a port number", file=stderr)
        return 2
    try:
        settings = _settings(args)
    except (ValueError, MaskPathError) as exc:
        print(f"clea serve: {exc}", file=stderr)
        return 2
    if not settings.policies_dir.is_dir():
        print(f"clea serve: {settings.policies_dir}: no such policy folder", file=stderr)
        return 2
    try:
        app = create_app(settings)
    except PolicyError as exc:
        print(f"clea serve: the policies in {settings.policies_dir} are invalid:", file=stderr)
        for issue in exc.issues:
            print(f"  {issue}", file=stderr)
        return 3
    except DecisionLogError as exc:
        print(f"clea serve: {exc}", file=stderr)
        return 2
    _log_to_stderr()
    try:
        uvicorn.run(app, host=args.host, port=args.port, access_log=not args.no_access_log,
                    log_level="info", proxy_headers=True, timeout_graceful_shutdown=30, http=guarded_protocol(settings.header_timeout),
                    limit_concurrency=settings.max_connections, timeout_keep_alive=KEEP_ALIVE_TIMEOUT)
    except SystemExit as exc:  # uvicorn exits when it cannot bind; it has already said why
        return exc.code if isinstance(exc.code, int) and exc.code else 2
    return 0
