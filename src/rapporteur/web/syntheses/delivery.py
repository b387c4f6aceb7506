"""How the site serves a stored report: the chart library once, compressed, cached.

The engine's report is self-contained (Plotly's JavaScript inlined, ~4.8 MB), and so is the copy the
worker stores. When the site serves it (``/syntheses/ID/report.html``), the inlined library is
replaced by ``<script src>`` to the same library served by the site (``plotly_script``: one URL per
library content, cached for a year), so a reader downloads it once, not with every report. Both
answers are gzip-compressed when the browser accepts it (compressed once per process and kept), and
carry an ``ETag`` and ``Last-Modified``: a published report is frozen (``public, immutable``); a draft
is revalidated at each visit (``private, no-cache``), which answers 304 without reading the report.
The report keeps its sandbox (``REPORT_CSP``): the library is a plain script of the page.
"""
from __future__ import annotations

import gzip
import hashlib
import re
import threading
from collections import OrderedDict
from functools import lru_cache

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from .models import Synthesis

YEAR = 365 * 24 * 3600
# Bump when what is served for a stored report changes (the ETag of every report changes with it).
DELIVERY_VERSION = "1"


@lru_cache(maxsize=1)
def _library() -> tuple[str, str, bytes, bytes]:
    """(the inline script block as the engine writes it, its digest, the library's bytes, gzipped)."""
    from rapporteur.report.html import _plotly_js

    js = str(_plotly_js())
    body = js.encode()
    return f"<script>{js}</script>", hashlib.sha256(body).hexdigest()[:16], body, gzip.compress(body, 6, mtime=0)


def library_url() -> str:
    return reverse("syntheses:plotly", args=[_library()[1]])


def served_html(report_html: str) -> str:
    """The stored report with its inlined chart library replaced by the site's copy (unchanged when the
    report inlines another version of the library than the one installed: it is then served as stored)."""
    block = _library()[0]
    at = report_html.find(block)
    if at < 0:
        return report_html
    return report_html[:at] + f'<script src="{library_url()}"></script>' + report_html[at + len(block):]


def _accepts_gzip(request) -> bool:
    return bool(re.search(r"\bgzip\b", request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _encoded(request, body: bytes, compressed: bytes, content_type: str) -> HttpResponse:
    if _accepts_gzip(request):
        response = HttpResponse(compressed, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(body, content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


class _Bodies:
    """The last few served reports (raw and gzipped), per process, by ETag: a report is compressed once."""

    def __init__(self, size: int = 8):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key, make):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


_bodies = _Bodies()


def _etag(synthesis: Synthesis) -> str:
    stamp = synthesis.finished_at.isoformat() if synthesis.finished_at else ""
    if synthesis.edited_at:  # the secretariat's text in a stocktaking's assessment: the report changed
        stamp += f"/{synthesis.edited_at.isoformat()}"
    key = f"{synthesis.pk}:{synthesis.version}:{synthesis.status}:{stamp}:{_library()[1]}:{DELIVERY_VERSION}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:24] + '"'


def report_response(request, pk: int, csp: str) -> HttpResponse:
    """The report of synthesis ``pk`` for this request: 404 unless visible, 304 when the browser has it."""
    synthesis = (Synthesis.objects.defer("data", "report_html", "report_markdown")
                 .filter(pk=pk).first())
    if synthesis is None or not request.user.has_perm("syntheses.view_synthesis", synthesis):
        raise Http404("No such synthesis")  # unpublished syntheses do not exist for the public
    etag = _etag(synthesis)
    published = synthesis.status == Synthesis.Status.PUBLISHED
    last_modified = int((synthesis.edited_at or synthesis.finished_at or synthesis.created_at).timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        def make():
            html = Synthesis.objects.filter(pk=pk).values_list("report_html", flat=True).first() or ""
            if not html:  # an edit at the desk left it to be rendered from the revised document
                from .desk import report_of

                html = report_of(Synthesis.objects.get(pk=pk))
            body = served_html(html).encode()
            return body, gzip.compress(body, 6, mtime=0)

        body, compressed = _bodies.get(etag, make)
        if not body:
            raise Http404("This run has no report")
        response = _encoded(request, body, compressed, "text/html; charset=utf-8")
    elif not isinstance(response, HttpResponseNotModified):
        return response  # 412 for a failed precondition
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable" if published else "private, no-cache"
    response["Content-Security-Policy"] = csp
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def plotly_script(request, digest: str) -> HttpResponse:
    """The chart library the served reports load. Its URL names its content; an address made for another
    version (a report cached before an upgrade) gets today's library, revalidated instead of frozen."""
    _block, current, body, compressed = _library()
    etag = f'"{current}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = _encoded(request, body, compressed, "text/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable" if digest == current else "public, no-cache"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
