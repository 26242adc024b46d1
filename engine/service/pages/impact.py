"""Changements, with a dossier file: the verdicts that change between the two versions (`clea policy impact`,
engine/batch/impact.py), beside the diff — what a board reads before voting.

    POST /changements     avant, apres, date, fichier (dossiers as JSON lines, as evaluate-batch reads them)

The dossiers are evaluated on the service's engine thread, one version after the other, so the page bounds them
(MAX_DOSSIERS, and the service's body size); `clea policy impact` takes files of any size on every core. A version
read from a commit is kept loaded for the next request; the folder on disk is loaded again when a file changed.
"""
from __future__ import annotations

import base64
import io
import json
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ...batch.impact import run_impact
from ...errors import PolicyError
from ...evaluation import today_in_paris
from ...policy import load_policies
from ...policy.versions.sources import SourceError, policies_at, recent_revisions
from ...reports.impact import change_text, kind_text
from .changes import ON_DISK, RUBRIQUE, commit_of, compare, fingerprint, label_of
from .site import PageError, Site, parse_day

MAX_DOSSIERS = 2000
SHOWN = 200          # dossiers listed on the page; the download has them all


@lru_cache(maxsize=8)
def _policies_at(folder: Path, commit: str):
    with policies_at(commit, folder, "version", with_references=True) as extracted:
        return load_policies(extracted)


@lru_cache(maxsize=2)
def _policies_on_disk(folder: Path, files: tuple):
    return load_policies(folder)


def _load(folder: Path, commit: str):
    try:
        return _policies_on_disk(folder, fingerprint(folder)) if commit == ON_DISK else _policies_at(folder, commit)
    except (PolicyError, SourceError) as error:
        raise PageError(422, f"{label_of(commit).capitalize()} des politiques ne se charge pas",
                        "; ".join(str(issue) for issue in error.issues)[:2000]) from error


def _count_lines(data: bytes) -> int:
    return sum(1 for line in data.splitlines() if line.strip())


async def _read_form(request: Request, limit: int) -> tuple[dict, bytes]:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PageError(413, "Fichier de dossiers trop volumineux",
                        f"La page accepte jusqu'à {limit} octets ; pour plus, utilisez clea policy impact.")
    form = await request.form(max_files=1, max_fields=8, max_part_size=limit)
    Site.check_form(request, form)
    upload = form.get("fichier")
    data = await upload.read(limit + 1) if isinstance(upload, UploadFile) else b""
    if len(data) > limit:
        raise PageError(413, "Fichier de dossiers trop volumineux", f"La page accepte jusqu'à {limit} octets.")
    return {key: str(form.get(key) or "").strip() for key in ("avant", "apres", "date")}, data


def _download(document: dict) -> str:
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return f"data:application/json;base64,{base64.b64encode(text.encode('utf-8')).decode('ascii')}"


def add_routes(router: APIRouter, site: Site, engine) -> None:
    @router.post(RUBRIQUE)
    async def impact(request: Request):
        fields, data = await _read_form(request, site.settings.max_body_bytes)
        folder = site.holder.directory
        day = parse_day(fields["date"]) or today_in_paris()
        if not data.strip():
            raise PageError(422, "Aucun dossier", "Choisissez un fichier de dossiers : une ligne JSON de faits par "
                                                  "dossier, comme les lit clea evaluate-batch.")
        if _count_lines(data) > MAX_DOSSIERS:
            raise PageError(413, "Trop de dossiers pour la page",
                            f"La page évalue jusqu'à {MAX_DOSSIERS} dossiers ; pour plus, utilisez "
                            "clea policy impact AVANT APRÈS --dossiers FICHIER, sur tous les cœurs.")
        before = commit_of(folder, fields["avant"], "avant")
        after = commit_of(folder, fields["apres"] or ON_DISK, "après")
        diff, old, new = await run_in_threadpool(
            lambda: (compare(folder, before, after, site.policies()), _load(folder, before), _load(folder, after)))
        records: list[dict] = []
        summary = await engine.call(run_impact, io.BytesIO(data), records.append, old=old, new=new, old_dir="",
                                    new_dir="", as_of=day, jobs=1)
        summary = summary.as_dict()
        policy = site.policies().get(site.default_policy_id())    # the words of the policy in service
        shown = [{**record, "textes": [change_text(change, policy) for change in record.get("changements", [])]}
                 for record in records[:SHOWN]]
        document = {"avant": before, "apres": after, "date": day.isoformat(), "dossiers": records, "resume": summary}
        return site.render("changements.html", rubrique=RUBRIQUE, revisions=await run_in_threadpool(
            recent_revisions, folder), avant=before, apres=after, sur_disque=ON_DISK, resultat=diff, choisi=True,
            effet={"resume": summary, "dossiers": shown, "caches": max(0, len(records) - SHOWN), "date": day,
                   "telechargement": _download(document), "max": MAX_DOSSIERS,
                   "natures": {kind: kind_text(kind) for kind in summary["par_type"]}})
