"""``clea serve``: run the HTTP verdict service, in one process or in ``--workers N`` processes on one port."""
from __future__ import annotations

import argparse
import errno
import os
import socket
from dataclasses import replace
from pathlib import Path

from ..errors import PolicyError
from ..limits import KEEP_ALIVE_TIMEOUT
from ..service.decision_log import DecisionLogError, log_target
from ..service.masking import MaskPathError, parse_paths
from ..service.settings import Settings, parse_count, parse_seconds, parse_size
from .server_lines import log_config

NAME = "serve"


def add_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        NAME, help="lancer le service HTTP des verdicts",
        description="Sert des verdicts en HTTP (POST /v1/evaluations, OpenAPI sur /openapi.json, documentation "
                    "sur /docs). Les réglages non donnés en options viennent des variables d'environnement CLEA_* ; "
                    "le jeton de rechargement seulement de CLEA_RELOAD_TOKEN. SIGHUP recharge les politiques.")
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (par défaut : 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000,
                        help="port d'écoute, 0 pour un port libre quelconque (par défaut : 8000)")
    parser.add_argument("--policies", metavar="DOSSIER",
                        help="dossier des politiques (par défaut : $CLEA_POLICIES, sinon policies/ du projet)")
    parser.add_argument("--log", metavar="FICHIER",
                        help="journal des décisions : un fichier SQLite, ou postgresql://utilisateur@hôte/base "
                             "partagé par plusieurs serveurs (par défaut : $CLEA_LOG ou clea-decisions.sqlite3)")
    parser.add_argument("--log-max-size", metavar="TAILLE",
                        help="refuser de répondre quand le journal atteint TAILLE (ex. 2G)")
    parser.add_argument("--mask", metavar="CHEMIN_JSON", action="append",
                        help="un chemin masqué dans le journal en plus des champs que les schémas marquent "
                             "x-donnees-personnelles, ex. 'faits.organisme.denomination' ; à répéter")
    parser.add_argument("--max-body", metavar="TAILLE", help="plus grand corps de requête accepté (par défaut : 1M)")
    parser.add_argument("--max-batch", metavar="N",
                        help="nombre maximal de demandes d'évaluation dans un lot (par défaut : 100)")
    parser.add_argument("--max-connections", metavar="N", help="connexions servies à la fois (par défaut : 1000)")
    parser.add_argument("--header-timeout", metavar="SECONDES",
                        help="temps pour envoyer la ligne et les en-têtes d'une requête, puis la connexion est "
                             "fermée (par défaut : 10)")
    parser.add_argument("--body-timeout", metavar="SECONDES",
                        help="temps pour envoyer le corps d'une requête, puis 408 (par défaut : 30)")
    parser.add_argument("--workers", metavar="N", default="1",
                        help="nombre de processus servant le même port, ou 'auto' pour un par cœur de la machine "
                             "(par défaut : 1) ; ils partagent le journal des décisions, un rechargement (POST ou "
                             "SIGHUP au processus parent) les atteint tous, un processus qui meurt est remplacé")
    parser.add_argument("--accounts", metavar="FICHIER",
                        help="fichier des comptes des pages, géré par 'clea account' (par défaut : $CLEA_ACCOUNTS) : "
                             "chacun s'y connecte avec son compte et ses rôles ; sans lui, les pages sont publiques "
                             "et en lecture seule, le journal des décisions fermé aux navigateurs")
    parser.add_argument("--proposals", metavar="DOSSIER",
                        help="dossier des propositions de changement faites sur les pages (par défaut : "
                             "$CLEA_PROPOSALS, sinon clea-propositions à côté du journal des décisions)")
    parser.add_argument("--proposals-dossiers", metavar="FICHIER",
                        help="dossiers (lignes JSON) sur lesquels mesurer l'impact d'une proposition (par défaut : "
                             "$CLEA_PROPOSALS_DOSSIERS, sinon les dossiers récents du journal des décisions)")
    parser.add_argument("--no-access-log", action="store_true", help="ne pas journaliser chaque requête HTTP")
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
    if args.accounts:
        settings = replace(settings, accounts_path=Path(args.accounts))
    if args.proposals:
        settings = replace(settings, proposals_path=Path(args.proposals))
    if args.proposals_dossiers:
        settings = replace(settings, proposals_dossiers=Path(args.proposals_dossiers))
    parse_paths(settings.mask_paths)  # a malformed path is an argument error, found before start-up
    return settings


def workers_count(text: str) -> int:
    """--workers: a whole number of at least 1, or 'auto' (the cores this process may run on)."""
    if text.strip().lower() == "auto":
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:      # not on Linux
            return max(1, os.cpu_count() or 1)
    return parse_count(text, "--workers")


def _port_in_use(host: str, port: int) -> str | None:
    """Why the service could not listen on host:port (in use, or not an address here), checked before starting:
    uvicorn's own failure exits 3, the code of a broken policy."""
    if port == 0:
        return None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"--host : adresse inconnue {host!r} ({exc.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"le port {port} de {host} est déjà utilisé par un autre programme (choisissez --port)"
            return f"impossible d'écouter sur {host}:{port} : {exc.strerror}"
    return None


def run(args, stdout, stderr) -> int:
    try:
        import uvicorn

        from ..service.account_file import AccountsError, read_accounts
        from ..service.app import create_app, load_checked
        from ..service.decision_log import open_log
        from ..service.protocol import guarded_protocol
        from ..service.supervisor import log_to_stderr, serve_workers
    except ImportError as exc:
        print(f"clea serve : le service HTTP demande la partie 'service' ({exc.name} manque) : "
              "pip install -e '.[service]'", file=stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print(f"clea serve : --port {args.port} n'est pas un numéro de port", file=stderr)
        return 2
    try:
        settings = _settings(args)
        workers = workers_count(args.workers)
    except (ValueError, MaskPathError) as exc:
        print(f"clea serve : {exc}", file=stderr)
        return 2
    if not settings.policies_dir.is_dir():
        print(f"clea serve : {settings.policies_dir} : dossier des politiques introuvable", file=stderr)
        return 2
    busy = _port_in_use(args.host, args.port)
    if busy:
        print(f"clea serve : {busy}", file=stderr)
        return 2
    created = _files_a_start_creates(settings.log_path)
    try:
        if workers == 1:
            app = create_app(settings)
        else:       # checked here, so a broken folder or log stops the start with the same message and code
            load_checked(settings.policies_dir)
            open_log(settings.log_path, mask_paths=settings.mask_paths, max_bytes=settings.log_max_bytes).close()
            if settings.accounts_path:
                read_accounts(settings.accounts_path)
    except AccountsError as exc:
        print(f"clea serve : le fichier des comptes {settings.accounts_path} est inutilisable :", file=stderr)
        for issue in exc.issues:
            print(f"  {issue}", file=stderr)
        return _failed(2, created)
    except PolicyError as exc:
        print(f"clea serve : les politiques de {settings.policies_dir} sont invalides :", file=stderr)
        for issue in exc.issues:
            print(f"  {issue}", file=stderr)
        return _failed(3, created)
    except DecisionLogError as exc:
        print(f"clea serve : {exc}", file=stderr)
        return _failed(2, created)
    log_to_stderr()
    # proxy_headers off: service/edge.py believes X-Forwarded-* from CLEA_TRUSTED_PROXIES only
    options = {"host": args.host, "port": args.port, "access_log": not args.no_access_log, "log_level": "info",
               "proxy_headers": False, "timeout_graceful_shutdown": 30, "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
               "limit_concurrency": settings.max_connections, "log_config": log_config()}
    if workers > 1:
        code = serve_workers(settings, workers, **options)
        return code if code == 0 else _failed(code, created)
    try:
        uvicorn.run(app, http=guarded_protocol(settings.header_timeout), **options)
    except SystemExit as exc:  # uvicorn exits (3) when it cannot start; it has already said why
        if exc.code == 3:
            return _failed(2, created)
        return exc.code if isinstance(exc.code, int) and exc.code else 2
    return 0


def _files_a_start_creates(target: Path | str) -> list[Path]:
    """The SQLite log's files this start creates (none when the log exists, or for a PostgreSQL log)."""
    if not isinstance(target, Path) or target.exists():
        return []
    return [target, *(target.with_name(target.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def _failed(code: int, created: list[Path]) -> int:
    """A start that failed leaves no log file behind: the ones it created are removed (nothing was logged)."""
    for path in created:
        path.unlink(missing_ok=True)
    return code
