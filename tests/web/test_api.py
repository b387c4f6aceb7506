"""The HTTP API: reads, the delegates' vote endpoint with a token, its refusals, and schemathesis
run against the served OpenAPI schema."""
from __future__ import annotations

import pytest
from django.urls import reverse

from rapporteur.web.api.models import ApiToken
from rapporteur.web.api.services import issue_token
from rapporteur.web.rounds import selectors, services
from rapporteur.web.rounds.models import Vote, VoteEvent

from .factories import make_round_delegates, make_synthesis_with_key_points


@pytest.fixture
def round(people, session):
    return services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)


@pytest.fixture
def mexico(db):
    user = make_round_delegates(("mexico",))["mexico"]
    return user, issue_token(user, "test")


def _vote(client, round_id, statement_id, vote, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v1/rounds/{round_id}/statements/{statement_id}/vote", {"vote": vote},
                       content_type="application/json", **headers)


def test_reads(client, gcm, session, round):
    processes = client.get("/api/v1/processes").json()
    assert [p["slug"] for p in processes] == ["gcm"]
    process = client.get("/api/v1/processes/gcm").json()
    assert len(process["phases"]) == 3 and process["phases"][0]["sessions"][0]["title"].startswith("Informal thematic")
    assert client.get("/api/v1/processes/nope").status_code == 404
    data = client.get(f"/api/v1/sessions/{session.pk}").json()
    assert data["process"] == "gcm" and data["rounds"][0]["id"] == round.pk and data["rounds"][0]["statements"] == 3
    assert data["syntheses"] == []  # the round's synthesis is a draft: not public
    published = make_synthesis_with_key_points(session, status="published")
    listed = client.get(f"/api/v1/sessions/{session.pk}/syntheses").json()
    assert [s["id"] for s in listed] == [published.pk]
    detail = client.get(f"/api/v1/syntheses/{published.pk}").json()
    assert detail["data"]["key_points"][0]["id"] == "K1" and detail["has_votes"] is False
    assert client.get(f"/api/v1/syntheses/{round.source_synthesis.pk}").status_code == 404
    r = client.get(f"/api/v1/rounds/{round.pk}").json()
    assert r["status"] == "open" and [s["key_point"] for s in r["statements"]] == ["K1", "K4", "K3"]
    assert client.get("/api/v1/rounds/999999").json() == {"detail": "No such round.", "code": "not_found"}
    assert client.get("/api/v1/sessions/0").status_code == 422


def test_a_delegate_votes_with_a_token(client, round, mexico):
    user, token = mexico
    nxt = client.get(f"/api/v1/rounds/{round.pk}/next", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert nxt["done"] == 0 and nxt["total"] == 3
    sid = nxt["statement"]["id"]
    response = _vote(client, round.pk, sid, "agree", token)
    assert response.status_code == 201 and response.json() == {"round": round.pk, "statement": sid, "vote": "agree",
                                                                "changed": True}
    again = _vote(client, round.pk, sid, "agree", token)  # a double submit
    assert again.status_code == 200 and again.json()["changed"] is False
    assert (Vote.objects.count(), VoteEvent.objects.count()) == (1, 1)
    assert _vote(client, round.pk, sid, "pass", token).status_code == 201
    assert Vote.objects.get().value == 0 and VoteEvent.objects.count() == 2
    assert client.get(f"/api/v1/rounds/{round.pk}/next", HTTP_AUTHORIZATION=f"Bearer {token}").json()["done"] == 1
    results = client.get(f"/api/v1/rounds/{round.pk}/results").json()
    assert results["votes"] == 1 and results["participants"] == 1


def test_refusals_are_clear(client, people, round, mexico):
    user, token = mexico
    first = round.statements.order_by("pk").first()
    sid = selectors.statement_numbers(round)[first.pk]  # the statement's id in the round, not its row id
    r = _vote(client, round.pk, sid, "agree")
    assert r.status_code == 401 and r["WWW-Authenticate"] == "Bearer" and r.json()["code"] == "unauthenticated"
    assert _vote(client, round.pk, sid, "agree", "rpt_not-a-token").status_code == 401
    assert _vote(client, round.pk, sid, "perhaps", token).status_code == 422
    r = _vote(client, round.pk, 999999, "agree", token)
    assert r.status_code == 404 and r.json() == {"detail": f"Round {round.pk} has no statement 999999.",
                                                 "code": "unknown_statement"}
    assert _vote(client, 999999, sid, "agree", token).json()["code"] == "unknown_round"
    outsider = issue_token(people.delegate)  # Migrant Voices Network is not accredited
    r = _vote(client, round.pk, sid, "agree", outsider)
    assert r.status_code == 403 and r.json()["code"] == "not_a_participant"
    services.close_round(round)
    r = _vote(client, round.pk, sid, "agree", token)
    assert r.status_code == 409 and r.json()["code"] == "round_closed"
    assert client.get(f"/api/v1/rounds/{round.pk}/next", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 409
    assert Vote.objects.count() == 0
    ApiToken.objects.filter(user=user).update(revoked_at="2026-01-01T00:00:00Z")
    assert _vote(client, round.pk, sid, "agree", token).status_code == 401


def test_tokens_are_made_and_revoked_on_the_delegate_dashboard(client, people):
    client.force_login(people.delegate)
    response = client.post(reverse("api-tokens:create"), {"name": "vote script"}, follow=True)
    page = response.content.decode()
    token = ApiToken.objects.get(user=people.delegate)
    assert 'id="new-token">rpt_' in page and token.name == "vote script"
    assert token.key_digest not in page
    shown = page.split('id="new-token">')[1].split("<")[0]
    assert ApiToken.objects.get(key_digest=__import__("hashlib").sha256(shown.encode()).hexdigest()) == token
    assert shown not in client.get(reverse("dashboards:delegate")).content.decode()  # shown once only
    client.force_login(people.other_delegate)
    assert client.post(reverse("api-tokens:revoke", args=[token.pk])).status_code == 404
    client.force_login(people.delegate)
    client.post(reverse("api-tokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_schema_is_served_and_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/rounds/{round_id}/statements/{statement_id}/vote" in schema["paths"]
    vote = schema["paths"]["/api/v1/rounds/{round_id}/statements/{statement_id}/vote"]["post"]
    assert set(vote["responses"]) == {"200", "201", "400", "401", "403", "404", "409", "422", "429"}
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


# ---------------------------------------------------------------------------- schemathesis
def _schemathesis_schema():
    import schemathesis

    from rapporteur.web.config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def api_data(people, session, round, mexico, wsgi_in_test):
    """Something to find: a published synthesis, an open round, a delegate's token (the site is
    called as a WSGI application: ``wsgi_in_test``)."""
    published = make_synthesis_with_key_points(session, status="published")
    ids = {"slug": "gcm", "session_id": session.pk, "synthesis_id": published.pk, "round_id": round.pk,
           "statement_id": selectors.statement_numbers(round)[round.statements.order_by("pk").first().pk]}
    return mexico[1], ids


def test_schemathesis_against_the_served_schema(api_data):
    """Every operation, with generated valid and invalid input (schemathesis's positive and negative
    modes): no server error, and every status code, content type and body as the schema says.
    Bounded: a few examples per operation and mode, derandomized so that a run is repeatable."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from schemathesis import GenerationMode
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    token, ids = api_data
    headers = {"Authorization": f"Bearer {token}"}
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    operations, calls = [], __import__("collections").Counter()
    for result in _schemathesis_schema().get_all_operations():
        operation = result.ok()
        operations.append(f"{operation.method.upper()} {operation.path}")
        real = {p.name: ids[p.name] for p in operation.path_parameters}  # existing objects, to reach past 404
        strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE),
                             operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real))

        @settings(max_examples=15, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def run(case):
            response = case.call(headers=headers)
            calls[operations[-1], response.status_code] += 1
            case.validate_response(response, checks=checks)

        run()
    assert len(operations) == 11, operations  # the index at /api/v1/ and ten resources
    reached = {op for (op, status) in calls if status < 300}
    assert len(reached) == 11, f"operations never answered 2xx: {set(operations) - reached}"
