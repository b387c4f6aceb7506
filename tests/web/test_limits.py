"""Limits on abuse (issue 16, item 4): the login lockout (django-axes) and the rate limits on votes and on
the API (``core.ratelimit``), each answering 429 with Retry-After; the production settings stay clean
under ``check --deploy``.

The test settings turn both off (``config/test.py``); each test here turns on what it tests. The
limiter's clock is moved by hand (``ratelimit.clock``), never slept on."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from rapporteur.web.api.services import issue_token
from rapporteur.web.core import ratelimit
from rapporteur.web.rounds import services
from rapporteur.web.rounds.models import Vote, VoteEvent
from rapporteur.web.rounds.selectors import statement_numbers

from .factories import PASSWORD, make_round_delegates, make_synthesis_with_key_points
from .test_voting_lane import _call

T0 = 1_000_000 * 60 + 5.0  # 5 seconds into a minute


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    """An empty cache and a clock that stands still (at T0) unless a test moves it."""
    caches[settings.RAPPORTEUR_RATE_LIMIT_CACHE].clear()
    now = {"t": T0}
    monkeypatch.setattr(ratelimit, "clock", lambda: now["t"])
    yield now
    caches[settings.RAPPORTEUR_RATE_LIMIT_CACHE].clear()
    translation.deactivate()


def limits(**named):
    return override_settings(RAPPORTEUR_RATE_LIMITS=named)


# ---------------------------------------------------------------------------------- the limiter
def test_limits_are_read_as_count_per_period():
    assert ratelimit.parse_limit("120/min") == ratelimit.Limit(120, 60)
    assert ratelimit.parse_limit("10/s") == ratelimit.Limit(10, 1)
    assert ratelimit.parse_limit("50/30") == ratelimit.Limit(50, 30)
    assert ratelimit.parse_limit("1000/h") == ratelimit.Limit(1000, 3600)
    assert ratelimit.parse_limit("5 / 2min") == ratelimit.Limit(5, 120)
    assert ratelimit.parse_limit("off") is None and ratelimit.parse_limit(None) is None
    for wrong in ("120", "x/min", "10/fortnight", "10/0"):
        with pytest.raises(ValueError):
            ratelimit.parse_limit(wrong)


def test_a_limit_that_does_not_read_stops_the_site_at_its_checks():
    with limits(vote_user="120/min", api_token="lots"):
        (error,) = ratelimit.check_limits()
    assert error.id == "rapporteur.E001" and "'lots'" in error.msg and "RAPPORTEUR_RATE_API_TOKEN" in error.hint


def test_a_window_refuses_past_its_count_and_resets_when_it_ends(_fresh):
    with limits(vote_user="3/min"):
        assert [ratelimit.hit("vote_user", "7") for _ in range(3)] == [None, None, None]
        assert ratelimit.hit("vote_user", "7") == 55  # T0 is 5 s into its minute
        assert ratelimit.hit("vote_user", "8") is None  # another key counts apart
        _fresh["t"] = T0 + 54.5
        assert ratelimit.hit("vote_user", "7") == 1  # at least a second
        _fresh["t"] = T0 + 55  # the next minute
        assert ratelimit.hit("vote_user", "7") is None
    assert ratelimit.hit("vote_user", "7") is None  # no limit of that name: nothing counted


def test_a_failing_cache_refuses_nothing(monkeypatch, caplog):
    class Broken:
        def add(self, *a, **k):
            raise ConnectionError("cache down")

        get = incr = add

    monkeypatch.setattr(ratelimit, "caches", {settings.RAPPORTEUR_RATE_LIMIT_CACHE: Broken()})
    with limits(vote_user="1/min"):
        assert ratelimit.hit("vote_user", "1") is None and ratelimit.hit("vote_user", "1") is None
        assert ratelimit.over("vote_user", "1") is None
    assert "cache failed" in caplog.text


def test_the_limiter_counts_on_redis_too(_fresh):
    """Several processes count together in Redis (``RAPPORTEUR_CACHE_URL``): one INCR with its expiry."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"rapporteur-test-{uuid.uuid4().hex}"
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0",
                   "KEY_PREFIX": prefix}
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
                                   "limits": redis_cache}, RAPPORTEUR_RATE_LIMIT_CACHE="limits"), limits(api_token="2/min"):
        assert [ratelimit.hit("api_token", "rpt_x") for _ in range(3)] == [None, None, 55]
        assert ratelimit.over("api_token", "rpt_x") == 55
        client = redis.Redis(host="127.0.0.1", port=6379)
        (key,) = client.keys(f"{prefix}:*")
        assert int(client.get(key)) == 3 and 0 < client.ttl(key) <= 56
        assert b"rpt_x" not in key  # the token itself never lands in the cache
        _fresh["t"] = T0 + 55
        assert ratelimit.hit("api_token", "rpt_x") is None
        client.delete(*client.keys(f"{prefix}:*"))


# --------------------------------------------------------------------------------- the address
def test_the_address_is_remote_addr_or_the_one_the_proxies_saw():
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}
    assert ratelimit.client_address(meta) == "10.0.0.1"  # no proxy trusted: X-Forwarded-For is the client's word
    with override_settings(RAPPORTEUR_PROXY_COUNT=1):
        assert ratelimit.client_address(meta) == "203.0.113.7"  # the entry the proxy appended
        assert ratelimit.client_address({"REMOTE_ADDR": "10.0.0.1"}) == "10.0.0.1"
        assert ratelimit.client_address({**meta, "HTTP_X_FORWARDED_FOR": "not-an-address"}) == "10.0.0.1"
    with override_settings(RAPPORTEUR_PROXY_COUNT=2):
        assert ratelimit.client_address(meta) == "6.6.6.6"
    assert ratelimit.address_key("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"  # a host's usual allocation
    assert ratelimit.address_key("::ffff:192.0.2.1") == "192.0.2.1" and ratelimit.address_key("192.0.2.1") == "192.0.2.1"


# ------------------------------------------------------------------------------- login lockout
LOCKOUT = {"AXES_ENABLED": True, "AXES_FAILURE_LIMIT": 3, "AXES_COOLOFF_TIME": timedelta(minutes=15)}


def _sign_in(client, username, password, address="127.0.0.1", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@override_settings(**LOCKOUT)
def test_failed_sign_ins_lock_the_user_name_out_at_that_address_until_the_cool_off(client, people):
    from axes.models import AccessAttempt

    assert _sign_in(client, "delegate", "wrong").status_code == 200  # the form again, with its error
    assert _sign_in(client, "delegate", "wrong").status_code == 200
    locked = _sign_in(client, "delegate", "wrong")  # the third: locked out
    assert locked.status_code == 429 and locked["Retry-After"] == str(15 * 60)
    page = locked.content.decode()
    assert "Signing in is paused" in page and "3 times in a row" in page and "15 minutes" in page
    right = _sign_in(client, "delegate", PASSWORD)  # the right password is refused too
    assert right.status_code == 429 and not _signed_in(client)
    # in the visitor's language
    french = _sign_in(client, "delegate", PASSWORD, HTTP_ACCEPT_LANGUAGE="fr")
    assert french.status_code == 429 and "La connexion est suspendue" in french.content.decode()
    # another address, and another user at this address, are not locked out
    assert _sign_in(client, "delegate", PASSWORD, address="192.0.2.50").status_code == 302
    client.logout()
    assert _sign_in(client, "moderator", PASSWORD).status_code == 302
    client.logout()
    # the cool-off passes (each attempt meanwhile started it again): the right password signs in
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    assert _sign_in(client, "delegate", PASSWORD).status_code == 302 and _signed_in(client)


@override_settings(**LOCKOUT)
def test_a_successful_sign_in_resets_the_count(client, people):
    for _ in range(2):
        assert _sign_in(client, "delegate", "wrong").status_code == 200
    assert _sign_in(client, "delegate", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):  # two more failures: not three in a row
        assert _sign_in(client, "delegate", "wrong").status_code == 200
    assert _sign_in(client, "delegate", PASSWORD).status_code == 302


@override_settings(**LOCKOUT)
def test_the_admin_sign_in_is_locked_out_too(client, people):
    for _ in range(2):
        client.post(reverse("admin:login"), {"username": "admin", "password": "wrong"})
    response = client.post(reverse("admin:login"), {"username": "admin", "password": "wrong"})
    assert response.status_code == 429 and "Signing in is paused" in response.content.decode()
    assert client.post(reverse("admin:login"), {"username": "admin", "password": PASSWORD}).status_code == 429


@override_settings(**LOCKOUT)
def test_a_locked_out_user_keeps_voting_with_an_api_token(client, people, round):
    """A token is its own credential: locking a user name out of the sign-in page does not touch it."""
    user = make_round_delegates(("mexico",))["mexico"]
    token = issue_token(user, "test")
    for _ in range(3):
        _sign_in(client, "mexico", "wrong")
    assert _sign_in(client, "mexico", PASSWORD).status_code == 429
    client.logout()
    number = statement_numbers(round)[round.statements.order_by("pk").first().pk]
    response = _api_vote(client, round.pk, number, "agree", token)
    assert response.status_code == 201, response.content


# ------------------------------------------------------------------------------------ the votes
@pytest.fixture
def round(people, session):
    return services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)


@pytest.fixture
def voters(db):
    return make_round_delegates(("mexico", "kenya", "germany"))


def _statements(round):
    return list(round.statements.order_by("pk"))


def _html_vote(client, round, statement, value="agree", address="127.0.0.1", htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("rounds:vote", args=[round.pk]), {"statement": statement.pk, "vote": value},
                       REMOTE_ADDR=address, **headers)


def _stored() -> tuple[int, int]:
    return Vote.objects.count(), VoteEvent.objects.count()


@limits(vote_user="3/min")
def test_the_html_vote_limit_is_per_user(client, round, voters, _fresh):
    first = _statements(round)[0]
    client.force_login(voters["mexico"])
    for value in ("agree", "disagree", "pass"):  # a vote, then two changes: three votes
        assert _html_vote(client, round, first, value).status_code == 302
    before = _stored()
    refused = _html_vote(client, round, first, "agree")
    assert refused.status_code == 429 and refused["Retry-After"] == "55"
    assert "Too many requests" in refused.content.decode()
    assert _stored() == before  # nothing stored
    htmx = _html_vote(client, round, first, "agree", htmx=True)  # the rating card, with the message
    assert htmx.status_code == 429 and htmx["Retry-After"] == "55"
    assert "Too many votes in a short time: nothing was recorded. Wait 55 seconds" in htmx.content.decode()
    assert _stored() == before
    assert Vote.objects.get(participant__user=voters["mexico"]).get_value_display() == "pass"
    client.force_login(voters["kenya"])  # another user, same address: not affected
    assert _html_vote(client, round, first).status_code == 302
    client.force_login(voters["mexico"])
    _fresh["t"] = T0 + 55  # the window ends
    assert _html_vote(client, round, first, "agree").status_code == 302
    assert _stored() == (before[0] + 1, before[1] + 2)


@limits(vote_address="2/min")
def test_the_vote_limit_is_per_address(client, round, voters):
    statements = _statements(round)
    client.force_login(voters["mexico"])
    assert [_html_vote(client, round, s, address="198.51.100.1").status_code for s in statements[:2]] == [302, 302]
    client.force_login(voters["kenya"])  # another user from the same address
    before = _stored()
    assert _html_vote(client, round, statements[0], address="198.51.100.1").status_code == 429
    assert _stored() == before
    assert _html_vote(client, round, statements[0], address="198.51.100.2").status_code == 302


@limits(vote_address="1/min")
def test_behind_a_proxy_the_vote_limit_counts_the_forwarded_address(client, round, voters):
    statements = _statements(round)
    with override_settings(RAPPORTEUR_PROXY_COUNT=1):
        client.force_login(voters["mexico"])
        assert client.post(reverse("rounds:vote", args=[round.pk]), {"statement": statements[0].pk, "vote": "agree"},
                           HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302
        client.force_login(voters["kenya"])
        assert client.post(reverse("rounds:vote", args=[round.pk]), {"statement": statements[0].pk, "vote": "agree"},
                           HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 302  # same proxy, another client
        assert client.post(reverse("rounds:vote", args=[round.pk]), {"statement": statements[1].pk, "vote": "agree"},
                           HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429


def _api_vote(client, round_id, number, vote, token, address="127.0.0.1"):
    return client.post(f"/api/v1/rounds/{round_id}/statements/{number}/vote", {"vote": vote},
                       content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=address)


def _assert_429_json(status, headers, body, retry="55"):
    assert status == 429 and headers["retry-after"] == retry
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert body["code"] == "rate_limited" and f"try again in {retry} seconds" in body["detail"]


@limits(vote_user="2/min")
def test_the_api_vote_limit_is_per_delegate(client, round, voters):
    numbers = sorted(statement_numbers(round).values())
    mexico, kenya = issue_token(voters["mexico"]), issue_token(voters["kenya"])
    assert [_api_vote(client, round.pk, n, "agree", mexico).status_code for n in numbers[:2]] == [201, 201]
    before = _stored()
    refused = _api_vote(client, round.pk, numbers[2], "agree", mexico)
    _assert_429_json(refused.status_code, {k.lower(): v for k, v in refused.items()}, refused.json())
    assert _stored() == before
    second = issue_token(voters["mexico"], "second")  # another token of the same delegate: the same votes
    assert _api_vote(client, round.pk, numbers[2], "agree", second).status_code == 429
    assert _api_vote(client, round.pk, numbers[2], "agree", kenya).status_code == 201
    # reading the next statement is not a vote
    assert client.get(f"/api/v1/rounds/{round.pk}/next", HTTP_AUTHORIZATION=f"Bearer {mexico}").status_code == 200


@limits(vote_user="2/min", api_token="3/min")
def test_the_voting_lane_counts_the_same_limits(round, voters, wsgi_in_test, _fresh):
    numbers = sorted(statement_numbers(round).values())
    token = issue_token(voters["mexico"])
    path = f"/api/v1/rounds/{round.pk}/statements/{{}}/vote"
    body = b'{"vote": "agree"}'
    assert [_call(wsgi_in_test, "POST", path.format(n), token=token, body=body)[0] for n in numbers[:2]] == [201, 201]
    before = _stored()
    _assert_429_json(*_call(wsgi_in_test, "POST", path.format(numbers[2]), token=token, body=body))  # vote_user
    assert _stored() == before
    # the token's third request was that vote; its fourth is past api_token
    status, headers, answer = _call(wsgi_in_test, "GET", f"/api/v1/rounds/{round.pk}/next", token=token)
    _assert_429_json(status, headers, answer)
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    _fresh["t"] = T0 + 55
    assert _call(wsgi_in_test, "POST", path.format(numbers[2]), token=token, body=body)[0] == 201
    assert _stored()[0] == before[0] + 1


@limits(api_token="3/min")
def test_the_lane_does_not_count_twice_what_it_hands_to_django(round, voters, wsgi_in_test):
    """A request the lane counted, then handed to Django (a token that is not a live one), is counted once."""
    path = f"/api/v1/rounds/{round.pk}/next"
    statuses = [_call(wsgi_in_test, "GET", path, token="rpt_not-a-token")[0] for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


# -------------------------------------------------------------------------------------- the API
@limits(api_token="3/min")
def test_the_api_limit_is_per_token(client, round, voters, _fresh):
    mexico, kenya = issue_token(voters["mexico"]), issue_token(voters["kenya"])
    url = f"/api/v1/rounds/{round.pk}"
    for _ in range(3):
        assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {mexico}").status_code == 200
    refused = client.get(url, HTTP_AUTHORIZATION=f"Bearer {mexico}")
    _assert_429_json(refused.status_code, {k.lower(): v for k, v in refused.items()}, refused.json())
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {kenya}").status_code == 200  # another token
    assert client.get(url).status_code == 200  # without a token: api_address, not set here
    _fresh["t"] = T0 + 55
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {mexico}").status_code == 200


@limits(api_address="3/min")
def test_the_api_limit_is_per_address_without_a_token(client, db, _fresh):
    for _ in range(3):
        assert client.get("/api/v1/processes", REMOTE_ADDR="198.51.100.9").status_code == 200
    refused = client.get("/api/v1/processes", REMOTE_ADDR="198.51.100.9")
    _assert_429_json(refused.status_code, {k.lower(): v for k, v in refused.items()}, refused.json())
    assert client.get("/api/v1/openapi.json", REMOTE_ADDR="198.51.100.9").status_code == 429  # the API as a whole
    assert client.get("/api/v1/processes", REMOTE_ADDR="198.51.100.10").status_code == 200
    assert client.get(reverse("core:home"), REMOTE_ADDR="198.51.100.9").status_code == 200  # the site is not the API
    _fresh["t"] = T0 + 55
    assert client.get("/api/v1/processes", REMOTE_ADDR="198.51.100.9").status_code == 200


@limits(api_bad_token="2/min")
def test_an_address_sending_bad_tokens_is_refused_before_any_token_is_looked_up(client, round, voters):
    token = issue_token(voters["mexico"])
    url = f"/api/v1/rounds/{round.pk}/next"
    for _ in range(2):
        assert client.get(url, HTTP_AUTHORIZATION="Bearer rpt_guess", REMOTE_ADDR="203.0.113.66").status_code == 401
    refused = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="203.0.113.66")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited" and refused["Retry-After"] == "55"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="203.0.113.67").status_code == 200
    assert client.get(url, REMOTE_ADDR="203.0.113.66").status_code == 401  # without a token: its own limit


def test_the_schema_declares_429_on_every_operation(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], (method, path)


# -------------------------------------------------------------------------------- sign-in page
@limits(login_address="2/min")
def test_sign_in_attempts_are_limited_per_address(client, people):
    assert _sign_in(client, "delegate", "wrong").status_code == 200
    assert _sign_in(client, "moderator", "wrong").status_code == 200
    refused = _sign_in(client, "member", PASSWORD)
    assert refused.status_code == 429 and refused["Retry-After"] == "55" and not _signed_in(client)
    assert "Too many requests" in refused.content.decode()
    spanish = _sign_in(client, "member", PASSWORD, HTTP_ACCEPT_LANGUAGE="es")
    assert "Demasiadas solicitudes" in spanish.content.decode()
    assert client.get(reverse("login")).status_code == 200  # the form itself is still shown
    assert _sign_in(client, "member", PASSWORD, address="198.51.100.3").status_code == 302


# ---------------------------------------------------------------------------------- deployment
def test_production_limits_are_on_by_default():
    from rapporteur.web.config import settings as local

    defaults = {name: ratelimit.parse_limit(value) for name, value in local.RAPPORTEUR_RATE_LIMITS.items()}
    assert defaults["vote_user"] == ratelimit.Limit(120, 60) and defaults["api_token"] == ratelimit.Limit(600, 60)
    assert defaults["api_address"] == ratelimit.Limit(300, 60) and all(defaults.values())
    assert local.AXES_FAILURE_LIMIT == 5 and local.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert local.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert local.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


@pytest.mark.parametrize("cache_url", ["", "redis://127.0.0.1:6379/0"])
def test_check_deploy_is_clean_under_the_production_settings(cache_url, tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rapporteur.web.config.production", "RAPPORTEUR_DATA_DIR": str(tmp_path),
           "RAPPORTEUR_SECRET_KEY": "k3y-" + "x7Q9#rT2%pL5&vB8" * 4, "RAPPORTEUR_ALLOWED_HOSTS": "rapporteur.example.org",
           "RAPPORTEUR_CACHE_URL": cache_url}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "rapporteur.web", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    shown = subprocess.run([sys.executable, "-m", "rapporteur.web", "shell", "-c",
                            "from django.conf import settings; import json; print(json.dumps([settings.RAPPORTEUR_PROXY_COUNT, "
                            "[c['BACKEND'] for c in settings.CACHES.values()], settings.AXES_ENABLED, settings.RAPPORTEUR_RATE_LIMITS]))"],
                           env=env, capture_output=True, text=True, timeout=120)
    proxies, backends, axes, rates = json.loads(shown.stdout.strip().splitlines()[-1])
    assert proxies == 1 and axes is True and rates["vote_user"] == "120/min"
    assert all(b.endswith("RedisCache" if cache_url else "LocMemCache") for b in backends)
