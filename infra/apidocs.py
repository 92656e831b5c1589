"""API docs that work without internet: the hub and every service are made with :func:`offline_app`."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline


def offline_app(**kwargs: Any) -> FastAPI:
    """A FastAPI app (``kwargs`` as for ``FastAPI``) whose /docs (Swagger UI) loads its script, style and
    icon from this server, under /static-offline-docs (the package fastapi-offline ships them), instead of
    from a CDN: the page works on a machine without internet. No /redoc: its bundle still fetches its logo
    from the internet, and /docs (with /openapi.json) documents the same API."""
    return FastAPIOffline(redoc_url=None, **kwargs)
