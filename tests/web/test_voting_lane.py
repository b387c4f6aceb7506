"""The voting lane (``web.lane``) answers a delegate's next-statement and vote requests as Django and
django-ninja answer them: the same statuses, bodies and headers, request for request, and it hands
every request in another form to Django with its body intact."""
from __future__ import annotations

import io
import json

import pytest

from rapporteur.web.api.services import issue_token
from rapporteur.web.rounds import services
from rapporteur.web.rounds.models import Participant, Round, Statement, Vote, VoteEvent
from rapporteur.web.rounds.selectors import statement_numbers

from .factories import make_round_delegates, make_synthesis_with_key_points


def _call(app, method: str, path: str, *, token: str | None = None, body: bytes = b"",
          content_type: str = "application/json") -> tuple[int, dict, object]:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
               "SERVER_PORT": "80", "HTTP_HOST": "testserver", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
               "wsgi.errors": io.StringIO(), "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type}
    if token is not None:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), headers

    content = b"".join(app(environ, start_response))
    headers = {k.lower(): v for k, v in answer["headers"]}
    is_json = headers.get("content-type", "").startswith("application/json")
    return answer["status"], headers, json.loads(content) if is_json else content.decode()


class Counted:
    """Django's application, counting the requests it is handed."""

    def __init__(self, application):
        self.application, self.calls = application, 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.application(environ, start_response)


@pytest.fixture
def scene(people, session, wsgi_in_test):
    delegate = make_round_delegates(("mexico",))["mexico"]
    round = services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    numbers = statement_numbers(round)
    first, withdrawn = sorted(numbers, key=numbers.get)[:2]
    Statement.objects.filter(pk=withdrawn).update(state=Statement.State.REJECTED)
    return {"round": round, "numbers": numbers, "first": numbers[first], "withdrawn": numbers[withdrawn],
            "delegate": issue_token(delegate, "test"), "secretariat": issue_token(people.secretariat, "test"),
            "revoked": _revoked(people.delegate)}


def _revoked(user) -> str:
    from django.utils import timezone

    from rapporteur.web.api.models import ApiToken, digest

    token = issue_token(user, "old")
    ApiToken.objects.filter(key_digest=digest(token)).update(revoked_at=timezone.now())
    return token


# (what, method, path, token, body, content type, answered by the lane?)
def _steps(scene):
    r, n, w = scene["round"].pk, scene["first"], scene["withdrawn"]
    vote = f"/api/v1/rounds/{r}/statements/{n}/vote"
    d, s, x = scene["delegate"], scene["secretariat"], scene["revoked"]

    def body(v):
        return json.dumps({"vote": v}).encode()
    return [
        ("next", "GET", f"/api/v1/rounds/{r}/next", d, b"", "", True),
        ("vote", "POST", vote, d, body("agree"), "application/json", True),
        ("same vote", "POST", vote, d, body("agree"), "application/json", True),
        ("changed vote", "POST", vote, d, body("disagree"), "application/json", True),
        ("next after a vote", "GET", f"/api/v1/rounds/{r}/next", d, b"", "", True),
        ("unknown statement", "POST", f"/api/v1/rounds/{r}/statements/999/vote", d, body("pass"), "application/json", True),
        ("withdrawn statement", "POST", f"/api/v1/rounds/{r}/statements/{w}/vote", d, body("pass"), "application/json", True),
        ("unknown round", "POST", f"/api/v1/rounds/{r + 1000}/statements/0/vote", d, body("pass"), "application/json", True),
        ("next in an unknown round", "GET", f"/api/v1/rounds/{r + 1000}/next", d, b"", "", True),
        ("not a delegate: vote", "POST", vote, s, body("agree"), "application/json", True),
        ("not a delegate: next", "GET", f"/api/v1/rounds/{r}/next", s, b"", "", True),
        ("extra field", "POST", vote, d, b'{"vote": "pass", "note": 1}', "application/json; charset=utf-8", True),
        # in another form: Django answers
        ("invalid vote", "POST", vote, d, body("maybe"), "application/json", False),
        ("not JSON", "POST", vote, d, b"vote=agree", "application/json", False),
        ("form body", "POST", vote, d, b"vote=agree", "application/x-www-form-urlencoded", False),
        ("no token", "POST", vote, None, body("agree"), "application/json", False),
        ("revoked token", "POST", vote, x, body("agree"), "application/json", False),
        ("wrong method", "GET", vote, d, b"", "", False),
        ("id out of range", "POST", f"/api/v1/rounds/{2**60}/statements/0/vote", d, body("agree"), "application/json", False),
        ("a body too large for the lane", "POST", vote, d, body("agree") + b" " * 2000, "application/json", False),
        ("close", None, None, None, None, None, None),
        ("vote on a closed round", "POST", vote, d, body("pass"), "application/json", True),
        ("next on a closed round", "GET", f"/api/v1/rounds/{r}/next", d, b"", "", True),
    ]


def _transcript(app, counted: Counted, scene) -> list:
    out = []
    for what, method, path, token, body, content_type, by_lane in _steps(scene):
        if method is None:
            Round.objects.filter(pk=scene["round"].pk).update(status=Round.Status.CLOSED)
            continue
        before = counted.calls
        status, headers, payload = _call(app, method, path, token=token, body=body, content_type=content_type)
        out.append((what, status, headers, payload, counted.calls == before))
    return out


def _reset(scene):
    round = scene["round"]
    VoteEvent.objects.filter(round=round).delete()
    Vote.objects.filter(round=round).delete()
    Participant.objects.filter(round=round).delete()
    Round.objects.filter(pk=round.pk).update(status=Round.Status.OPEN)
    from rapporteur.web.rounds import ballot

    ballot._counts.clear()


def test_the_lane_answers_as_django_does(scene, wsgi_in_test):
    from rapporteur.web.lane import VotingLane

    django = Counted(wsgi_in_test.application)  # the site without the lane
    through_django = _transcript(django, django, scene)
    _reset(scene)
    counted = Counted(wsgi_in_test.application)
    through_lane = _transcript(VotingLane(counted), counted, scene)

    requests = [step for step in _steps(scene) if step[1] is not None]
    assert len(through_django) == len(through_lane) == len(requests)
    for (what, *by_django), (_, *by_lane), step in zip(through_django, through_lane, requests):
        assert by_lane[:3] == by_django[:3], what  # status, headers, body
        assert by_lane[3] is step[6], f"{what}: answered by {'the lane' if by_lane[3] else 'Django'}"
    statuses = {what: status for what, status, *_ in through_lane}
    assert statuses == {
        "next": 200, "vote": 201, "same vote": 200, "changed vote": 201, "next after a vote": 200,
        "unknown statement": 404, "withdrawn statement": 409, "unknown round": 404, "next in an unknown round": 404,
        "not a delegate: vote": 403, "not a delegate: next": 403, "extra field": 201, "invalid vote": 422,
        "not JSON": 400, "form body": 400, "no token": 401, "revoked token": 401, "wrong method": 405,
        "id out of range": 422, "a body too large for the lane": 201, "vote on a closed round": 409,
        "next on a closed round": 409}
    answers = {what: payload for what, _s, _h, payload, _l in through_lane}
    assert answers["next after a vote"]["done"] == 1 and answers["next"]["statement"]["text"]
    assert "vote" in answers["invalid vote"]["detail"]  # Django read the body the lane gave back
    headers = through_lane[0][2]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert headers["content-type"] == "application/json; charset=utf-8"
    # every vote the lane took is stored, with its history
    assert Vote.objects.get(round=scene["round"]).value == 1
    events = VoteEvent.objects.filter(round=scene["round"]).order_by("pk").values_list("value", flat=True)
    assert list(events) == [1, -1, 0, 1]  # agree, disagree, pass (extra field), agree (the large body, via Django)


def test_a_server_error_in_the_lane_is_a_json_500_and_logged(scene, wsgi_in_test, monkeypatch, caplog):
    from rapporteur.web.api import voting
    from rapporteur.web.lane import VotingLane

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(voting, "vote_answer", broken)
    counted = Counted(wsgi_in_test.application)
    status, headers, payload = _call(VotingLane(counted), "POST",
                                     f"/api/v1/rounds/{scene['round'].pk}/statements/{scene['first']}/vote",
                                     token=scene["delegate"], body=b'{"vote": "agree"}')
    assert (status, payload["code"], counted.calls) == (500, "error", 0)
    assert headers["x-content-type-options"] == "nosniff"
    assert "the database went away" in caplog.text


def test_the_lane_reads_the_token_and_the_ballot_in_one_query(scene, wsgi_in_test, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.RAPPORTEUR_ROUND_COUNTS_SECONDS = 60
    r, n, token = scene["round"].pk, scene["first"], scene["delegate"]
    _call(wsgi_in_test, "GET", f"/api/v1/rounds/{r}/next", token=token)  # (counts the votes: once a minute here)
    with CaptureQueriesContext(connection) as nxt:
        status, _h, answer = _call(wsgi_in_test, "GET", f"/api/v1/rounds/{r}/next", token=token)
    assert status == 200 and answer["statement"]["text"]
    assert len(nxt.captured_queries) == 1 and "api_apitoken" in nxt.captured_queries[0]["sql"]
    _call(wsgi_in_test, "POST", f"/api/v1/rounds/{r}/statements/{n}/vote", token=token, body=b'{"vote": "agree"}')
    with CaptureQueriesContext(connection) as vote:  # (the participant exists now)
        status, _h, _a = _call(wsgi_in_test, "POST", f"/api/v1/rounds/{r}/statements/{n}/vote", token=token,
                               body=b'{"vote": "pass"}')
    assert status == 201
    work = [q["sql"] for q in vote.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    # the token with the ballot, then the vote (with its history row: one statement on PostgreSQL, two on SQLite)
    assert "api_apitoken" in work[0] and "rounds_vote" in work[1] and len(work) <= 3, work
