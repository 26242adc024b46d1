"""The verdict service: HTTP API, decision log and hot reload around the engine.

Needs the optional extra ``service`` (FastAPI, uvicorn): ``pip install -e '.[service]'``.
"""
