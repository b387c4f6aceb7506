"""The site's error pages: what happened and what to do, in the site's layout.

Django's own views render ``403.html``, ``404.html`` and ``500.html`` (the last one without a request
or the database). This module adds those Django has no page for: a request too large (413,
``413.html``; ``BoundedRequestSizeMiddleware`` and Django's ``RequestDataTooBig`` both end here), a
form refused by the CSRF check (``CSRF_FAILURE_VIEW``, ``403_csrf.html``) and a sign-in locked out
after too many failures (``AXES_LOCKOUT_CALLABLE``, ``registration/locked_out.html``). Requests over a
rate limit get ``429.html`` (``core.ratelimit``).
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def too_large(request, limit_bytes: int | None = None) -> HttpResponse:
    """413 for a request over the site's limit; rendered without the request (no session nor user yet)."""
    limit_mb = f"{limit_bytes / (1024 * 1024):.1f}" if limit_bytes else None
    if request.path.startswith("/api/"):
        detail = f"Request too large: the limit is {limit_mb} MB." if limit_mb else "Request too large."
        return JsonResponse({"detail": detail, "code": "too_large"}, status=413)
    return HttpResponse(render_to_string("413.html", {"limit_mb": limit_mb}), status=413)


def bad_request(request, exception, template_name="400.html"):
    """``handler400``: a body too large to read (``RequestDataTooBig``) is a 413, anything else a 400.

    Rendered without the request: a 400 may come from a middleware that runs before the user is known
    (``DisallowedHost`` in ``CommonMiddleware``), where the context processors would fail."""
    if isinstance(exception, RequestDataTooBig):
        return too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return HttpResponseBadRequest(render_to_string(template_name))


def locked_out(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: 429 with the cool-off (in minutes, and in seconds in ``Retry-After``).

    Every attempt during the lockout starts the cool-off again (django-axes's default), so the whole
    cool-off is what is left after this one."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else None
    context = {"failure_limit": get_failure_limit(request, credentials),
               "username": get_client_username(request, credentials) or "",
               "minutes": max(1, round(seconds / 60)) if seconds else None}
    if request.path.startswith("/api/") or request.headers.get("X-Requested-With") == "XMLHttpRequest":
        response = JsonResponse({"detail": "Too many failed sign-ins: this account is locked out from this "
                                           "address for a while.", "code": "locked_out"}, status=429)
    else:
        response = render(request, "registration/locked_out.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: the form could not be checked; nothing was saved; reload it and send again."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
