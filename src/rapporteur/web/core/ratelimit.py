"""Rate limits: how many requests one user, one API token or one address may make in a period.

Each limit (``settings.RAPPORTEUR_RATE_LIMITS``, by name: "120/min") is counted in fixed windows of its
period: the window is the period that the clock is in, counted from the epoch, and its counter is one
key in the cache (``RAPPORTEUR_RATE_LIMIT_CACHE``), added at 1 and then incremented — atomic in local
memory (a lock) and on Redis (``INCR``, with its expiry set in the same round trip). The request that
goes past the count is refused until the window ends: ``Retry-After`` says in how many seconds. A
cache that cannot be reached refuses nothing (it is logged): the limits protect the site, they are not
what it needs to answer.

Where they apply:

- ``vote_user``, ``vote_address``: every vote, on the HTML form (``rounds.views.vote``), the API
  (``api.api.vote``) and the voting lane (``web.lane``), by the voter and by their address; counted
  once the voter is known, before the vote is read, so a refused vote stores nothing.
- ``api_token``: every API request with ``Authorization: Bearer …``, by token (``RateLimitMiddleware``
  and the voting lane, which answers without Django's middleware).
- ``api_address``: every API request without a token, by address (the public API).
- ``api_bad_token``: API requests from one address whose token was refused (401); past the limit, that
  address's requests with a token are refused before the token is looked up.
- ``login_address``: sign-in attempts (a POST to the sign-in page or the admin's), by address; on top
  of django-axes's lockout of one user name at one address.

The address (``client_address``) is ``REMOTE_ADDR``, or behind ``RAPPORTEUR_PROXY_COUNT`` reverse proxies
the address the first of them was called from; an IPv6 address is counted by its /64 network (one
host's usual allocation). django-axes reads the same address (``client_ip``).
"""
from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse

log = logging.getLogger("rapporteur.ratelimit")
clock = time.time  # the limiter's clock (tests move it)
JSON = "application/json; charset=utf-8"  # as django-ninja answers
MARK = "rapporteur.api_limits_counted"  # set in the WSGI environ once a request was counted (web.lane)


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
            "d": 86400, "day": 86400}


@lru_cache(maxsize=64)
def parse_limit(value: str | None) -> Limit | None:
    """``"120/min"``, ``"50/30"`` (seconds), ``"10/s"``; None for ``None``, ``""`` or ``"off"``."""
    if value is None or str(value).strip().lower() in ("", "off", "none", "0"):
        return None
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([a-z]*)\s*", str(value).lower())
    if not match or (match[3] and match[3] not in _PERIODS) or not (match[2] or match[3]):
        raise ValueError(f"a rate limit is COUNT/PERIOD (e.g. 120/min), not {value!r}")
    seconds = int(match[2] or 1) * _PERIODS.get(match[3], 1)
    if seconds < 1:
        raise ValueError(f"a rate limit's period is at least a second: {value!r}")
    return Limit(int(match[1]), seconds)


def limit_for(name: str) -> Limit | None:
    return parse_limit(getattr(settings, "RAPPORTEUR_RATE_LIMITS", {}).get(name))


def check_limits(app_configs=None, **kwargs):
    """A system check: every rate limit in the settings reads as COUNT/PERIOD (or off)."""
    from django.core.checks import Error

    errors = []
    for name, value in getattr(settings, "RAPPORTEUR_RATE_LIMITS", {}).items():
        try:
            parse_limit(value)
        except ValueError as err:
            errors.append(Error(str(err), hint=f"RAPPORTEUR_RATE_LIMITS[{name!r}] (or RAPPORTEUR_RATE_{name.upper()})",
                                id="rapporteur.E001"))
    return errors


class RateLimited(Exception):
    """A request over a rate limit; ``retry_after``: seconds until its window ends."""

    def __init__(self, retry_after: int, limit: str = ""):
        super().__init__(f"rate limit {limit}: retry after {retry_after} s")
        self.retry_after = retry_after
        self.limit = limit


# ------------------------------------------------------------------------------------- counting
def _window(limit: Limit, now: float) -> tuple[int, int]:
    """(the window's start, seconds until it ends, at least 1)."""
    start = int(now // limit.seconds) * limit.seconds
    return start, max(1, math.ceil(start + limit.seconds - now))


def _key(name: str, key: str, start: int) -> str:
    # hashed: a token never lands in the cache, and every key is a valid cache key
    return f"ratelimit:{name}:{start}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def _cache():
    return caches[getattr(settings, "RAPPORTEUR_RATE_LIMIT_CACHE", "ratelimit")]


def _redis(cache):
    from django.core.cache.backends.redis import RedisCache

    return cache if isinstance(cache, RedisCache) else None


def _increment(cache, key: str, ttl: int) -> int:
    redis = _redis(cache)
    if redis is not None:  # INCR and EXPIRE in one round trip (Django's incr asks EXISTS first)
        full = redis.make_and_validate_key(key)
        pipe = redis._cache.get_client(full, write=True).pipeline()
        pipe.incr(full)
        pipe.expire(full, ttl, nx=True)
        return int(pipe.execute()[0])
    if cache.add(key, 1, ttl):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # it expired between add and incr
        cache.add(key, 1, ttl)
        return 1


def hit(name: str, key: str) -> int | None:
    """Count one request of ``key`` under the limit ``name``: None while within it, otherwise the
    seconds until the window ends (for ``Retry-After``). No limit of that name: None, nothing counted."""
    limit = limit_for(name)
    if limit is None or not key:
        return None
    start, remaining = _window(limit, clock())
    try:
        count = _increment(_cache(), _key(name, key, start), remaining + 1)
    except Exception:
        log.warning("rate limit %s not counted: the cache failed", name, exc_info=True)
        return None
    return remaining if count > limit.count else None


def over(name: str, key: str) -> int | None:
    """Like ``hit``, without counting: whether ``key`` is already past the limit ``name``."""
    limit = limit_for(name)
    if limit is None or not key:
        return None
    start, remaining = _window(limit, clock())
    try:
        count = _cache().get(_key(name, key, start)) or 0
    except Exception:
        log.warning("rate limit %s not read: the cache failed", name, exc_info=True)
        return None
    return remaining if int(count) >= limit.count else None


def _first_refusal(*counted: tuple[str, int | None]) -> RateLimited | None:
    refused = [(retry, name) for name, retry in counted if retry is not None]
    return RateLimited(*max(refused)) if refused else None


# -------------------------------------------------------------------------------- the address
def client_address(meta) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``RAPPORTEUR_PROXY_COUNT`` proxies that each
    append the address they were called from, the entry of ``X-Forwarded-For`` that many from the
    right (the address the outermost proxy saw); ``REMOTE_ADDR`` when that is not an address."""
    remote = meta.get("REMOTE_ADDR") or ""
    proxies = getattr(settings, "RAPPORTEUR_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [a.strip() for a in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if a.strip()]
        if forwarded:
            candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
            if _is_address(candidate):
                return candidate
    return remote


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def address_key(address: str) -> str:
    """What an address is counted by: itself, or an IPv6 address's /64 network."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_ip(request) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the address django-axes locks out (``client_address``)."""
    address = client_address(request.META)
    return address if _is_address(address) else None


# --------------------------------------------------------------------------------- the limits
def bearer_token(meta) -> str | None:
    scheme, _, token = (meta.get("HTTP_AUTHORIZATION") or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def api_request(meta) -> RateLimited | None:
    """Count an API request (``api_token`` with a token, else ``api_address``); the refusal, if over."""
    address = address_key(client_address(meta))
    token = bearer_token(meta)
    if token is None:
        return _first_refusal(("api_address", hit("api_address", address)))
    return _first_refusal(("api_bad_token", over("api_bad_token", address)), ("api_token", hit("api_token", token)))


def api_token_refused(meta) -> None:
    """An API request whose token was not a live one (answered 401): count it against its address."""
    hit("api_bad_token", address_key(client_address(meta)))


def vote(user_id, meta) -> RateLimited | None:
    """Count a vote of the user from the request's address; the refusal, if over a limit."""
    address = address_key(client_address(meta))
    return _first_refusal(("vote_user", hit("vote_user", str(user_id))), ("vote_address", hit("vote_address", address)))


def login_attempt(meta) -> RateLimited | None:
    return _first_refusal(("login_address", hit("login_address", address_key(client_address(meta)))))


# -------------------------------------------------------------------------------- the answers
def json_response(refused: RateLimited) -> HttpResponse:
    """429 for the API: ``{"detail", "code": "rate_limited"}`` with ``Retry-After``."""
    response = JsonResponse({"detail": f"Too many requests: try again in {refused.retry_after} seconds.",
                             "code": "rate_limited"}, status=429, content_type=JSON)
    response["Retry-After"] = str(refused.retry_after)
    return response


def page_response(request, refused: RateLimited) -> HttpResponse:
    """429 for the site: a short page (``429.html``), rendered without the request (no user yet)."""
    from django.template.loader import render_to_string

    response = HttpResponse(render_to_string("429.html", {"retry_after": refused.retry_after}), status=429)
    response["Retry-After"] = str(refused.retry_after)
    return response


def response_for(request, refused: RateLimited) -> HttpResponse:
    return json_response(refused) if request.path.startswith("/api/") else page_response(request, refused)


@lru_cache(maxsize=1)
def _login_paths() -> frozenset[str]:
    paths = set()
    for name in ("login", "admin:login"):
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            pass
    return frozenset(paths)


class RateLimitMiddleware:
    """The API's limits (``api_request``) and the sign-in form's (``login_attempt``), before the view
    and before anything reads the database. Requests the voting lane already counted are not counted
    again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            counted = request.META.get(MARK)
            refused = None if counted else api_request(request.META)
            if refused is not None:
                return json_response(refused)
            response = self.get_response(request)
            if response.status_code == 401 and bearer_token(request.META) is not None:
                api_token_refused(request.META)
            return response
        if request.method == "POST" and request.path in _login_paths():
            refused = login_attempt(request.META)
            if refused is not None:
                return page_response(request, refused)
        return self.get_response(request)
