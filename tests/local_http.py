"""httpx for the services the tests start on the loopback, every client sharing one TLS context: httpx otherwise
builds a new one for each client it makes, loading the system's certificates (about 30 ms of CPU each, and the
tests make hundreds). The addresses are plain http://127.0.0.1: the context is never used, only not rebuilt."""
from __future__ import annotations

import ssl

import httpx

_TLS = ssl.create_default_context()


def client(**kwargs) -> httpx.Client:
    return httpx.Client(verify=_TLS, **kwargs)


def get(url: str, **kwargs) -> httpx.Response:
    with client() as one:
        return one.get(url, **kwargs)


def post(url: str, **kwargs) -> httpx.Response:
    with client() as one:
        return one.post(url, **kwargs)
