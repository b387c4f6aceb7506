"""The voting lane: the two requests a delegate repeats in a rating round, answered without Django's
request cycle.

A voter asks for its next statement and votes, over and over (``GET /api/v1/rounds/R/next``,
``POST /api/v1/rounds/R/statements/N/vote`` with ``Authorization: Bearer …``). Through Django's
middleware, URL resolver and django-ninja, each of these cost about 3.3 ms of CPU, two thirds of it
outside the answer itself; with fifty voters without think time on two cores that is the queue.

``VotingLane`` wraps the site's WSGI application. It answers those two requests itself when they
come in their ordinary form — the exact path, the method, a JSON body ``{"vote": "agree"}`` of at
most a kilobyte, a live token — by calling the same functions the API's operations call
(``api.voting``): the same queries, the same rules, the same answers and codes. It sets the
headers Django's ``SecurityMiddleware`` and ``XFrameOptionsMiddleware`` set, by running them, and
counts the rate limits Django's ``RateLimitMiddleware`` and the vote operation count (``core.ratelimit``:
the token's requests, then the voter's votes), answering 429 as they do.
Every other request, and any one of these in another form (no token or a revoked one, a malformed
id or body, a host not allowed, plain HTTP where HTTPS is required), goes to Django untouched, body
included, so that Django and django-ninja give their usual answer and error. Nothing here decides
who may vote or what a vote is.
"""
from __future__ import annotations

import io
import json
import logging
import re

from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.core import signals
from django.http import HttpResponse, JsonResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.locale import LocaleMiddleware
from django.middleware.security import SecurityMiddleware

from rapporteur.web.api import voting
from rapporteur.web.core import ratelimit

MAX_ID = 2**53  # as the API's path parameters (api.MAX_ID)
MAX_BODY_BYTES = 1024
JSON = "application/json; charset=utf-8"  # as django-ninja answers
_ROUTE = re.compile(r"/api/v1/rounds/([1-9][0-9]{0,15})/(?:(next)|statements/(0|[1-9][0-9]{0,15})/vote)")
_VOTES = frozenset({"agree", "disagree", "pass"})
log = logging.getLogger("django.request")


class VotingLane:
    def __init__(self, application):
        self.application = application  # the site (Django's WSGIHandler)
        # Django's own middleware, for the headers and the HTTPS redirect it would give these answers
        self._security = SecurityMiddleware(lambda request: None)
        self._frame = XFrameOptionsMiddleware(lambda request: None)
        self._locale = LocaleMiddleware(lambda request: None)  # the language of the messages, and its headers

    def __call__(self, environ, start_response):
        route = _ROUTE.fullmatch(environ.get("PATH_INFO", ""))
        if route is None:
            return self.application(environ, start_response)
        answer = self._answer(environ, route)
        if answer is None:
            return self.application(environ, start_response)
        status = f"{answer.status_code} {answer.reason_phrase}"
        start_response(status, [*answer.items(), *(("Set-Cookie", c.output(header="")) for c in answer.cookies.values())])
        return [answer.content]

    def _answer(self, environ, route) -> HttpResponse | None:
        """The lane's answer, or None for Django to answer (the request's body is put back first)."""
        round_id, is_next, number = int(route[1]), route[2] is not None, route[3]
        method = environ.get("REQUEST_METHOD")
        if round_id > MAX_ID or method != ("GET" if is_next else "POST"):
            return None
        request = WSGIRequest(environ)
        if self._security.process_request(request) is not None:  # an HTTPS redirect: Django gives it
            return None
        try:
            request.get_host()
        except DisallowedHost:
            return None
        token = _bearer(environ.get("HTTP_AUTHORIZATION", ""))
        if token is None:
            return None
        self._locale.process_request(request)
        vote = None
        if not is_next:
            number = int(number)
            vote = _vote(environ) if number <= MAX_ID else None
            if vote is None:
                return None
        # the signals Django sends as a request starts and ends (their receivers recycle database connections)
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            refused = ratelimit.api_request(environ)  # as RateLimitMiddleware: before the token is read
            environ[ratelimit.MARK] = True  # counted: Django, should it answer after all, counts it no more
            found = None if refused is not None else voting.token_ballot(token, round_id, counts=is_next)  # one query
            if refused is None and found is None:
                return None  # not a live token: Django answers 401 with its WWW-Authenticate header
            if refused is None and not is_next:
                refused = ratelimit.vote(found[0].pk, environ)  # as the vote operation
            if refused is not None:
                response = ratelimit.json_response(refused)
            else:
                user, seen = found
                status, body = (voting.next_answer(user, round_id, seen) if is_next
                                else voting.vote_answer(user, round_id, number, vote, seen))
                response = JsonResponse(body, status=status, content_type=JSON)
        except Exception:
            log.exception("Internal Server Error: %s", environ.get("PATH_INFO"))
            response = JsonResponse({"detail": "The server failed on this request; try again.", "code": "error"},
                                    status=500, content_type=JSON)
        finally:
            signals.request_finished.send(sender=self.__class__)
        response["Content-Length"] = str(len(response.content))  # as Django's CommonMiddleware sets it
        response = self._locale.process_response(request, response)
        response = self._security.process_response(request, response)
        return self._frame.process_response(request, response)


def _bearer(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    return token if scheme.lower() == "bearer" and token else None


def _vote(environ) -> str | None:
    """The vote of a JSON body ``{"vote": …}``; None (and the body put back for Django) otherwise."""
    if not (environ.get("CONTENT_TYPE") or "").startswith("application/json"):
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY_BYTES:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)  # for Django, should it answer after all
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    vote = payload.get("vote") if isinstance(payload, dict) else None
    return vote if isinstance(vote, str) and vote in _VOTES else None
