"""The API's documentation page: django-ninja's Swagger UI (its own static files, no CDN) in a page of
ours, ``api/swagger.html``: in English (``lang="en"``), with a stylesheet that brings Swagger UI's
low-contrast colours (method badges, grey text) to at least 4.5:1 (``api/docs.css``)."""
from __future__ import annotations

from ninja.openapi.docs import Swagger


class SiteSwagger(Swagger):
    template = "api/swagger.html"
