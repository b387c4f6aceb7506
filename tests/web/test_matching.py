"""The platform maps a statement to the key points of its session's published synthesis (the real
matcher, on the factory's real-world statements), on the contribution page and through the API."""
from __future__ import annotations

from django.urls import reverse

from rapporteur.web.api.services import issue_token

from .factories import make_round_delegates, make_synthesis_with_key_points, publish_statements


def _fragment(client, contribution):
    return client.get(reverse("contributions:key-points", args=[contribution.pk]), HTTP_HX_REQUEST="true")


def test_a_published_statement_shows_the_key_points_it_makes(client, session):
    by_name = {c.organisation.name: c for c in publish_statements(session)}
    page = client.get(reverse("contributions:detail", args=[by_name["Kenya"].pk])).content.decode()
    assert reverse("contributions:key-points", args=[by_name["Kenya"].pk]) in page  # loaded by htmx
    response = _fragment(client, by_name["Kenya"])
    assert "No synthesis of this session is published yet" in response.content.decode()

    synthesis = make_synthesis_with_key_points(session, status="published")
    html = _fragment(client, by_name["Kenya"]).content.decode()
    assert f"synthesis version {synthesis.version}" in html
    assert "<strong>K1</strong>" in html  # "The human rights of all migrants must be protected."
    assert "<q>The human rights of all migrants must be protected.</q>" in html  # the verbatim sentence
    # "Remittances from the diaspora are vital for development" is not "Remittances must become
    # cheaper and safer to send": same subject, another claim.
    assert "<strong>K3</strong>" not in html

    html = _fragment(client, by_name["Hungary"]).content.decode()
    assert "<strong>K2</strong>" in html and "<strong>K5</strong>" in html
    assert "<strong>K3</strong>" not in html

    # Without JavaScript the same answer is a page of its own.
    page = client.get(reverse("contributions:key-points", args=[by_name["Kenya"].pk])).content.decode()
    assert "<h1>Key points this statement makes</h1>" in page and "<strong>K1</strong>" in page


def test_the_api_maps_any_text_for_a_delegate(client, session):
    user = make_round_delegates(("mexico",))["mexico"]
    token = issue_token(user, "test")
    url = f"/api/v1/sessions/{session.pk}/match"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    # (the stance model reads "fees must come down" as arguing against "… must become cheaper": by the
    # synthesis's membership rule such a sentence stands against K3, so the paraphrase here argues for it)
    text = "Sending money home should be cheaper and safer. The weather was fine."
    assert client.post(url, {"text": text}, content_type="application/json").status_code == 401
    r = client.post(url, {"text": text}, content_type="application/json", **auth)
    assert r.status_code == 404 and r.json()["code"] == "not_found"  # nothing published yet

    synthesis = make_synthesis_with_key_points(session, status="published")
    body = client.post(url, {"text": text}, content_type="application/json", **auth).json()
    assert body["synthesis"] == synthesis.pk
    assert [kp["key_point"] for kp in body["key_points"]] == ["K3"]
    (sentence,) = body["key_points"][0]["sentences"]
    assert text[sentence["start"]:sentence["end"]] == sentence["text"]
    assert sentence["probability"] >= 0.5

    r = client.post(url, {"text": "x" * 5001}, content_type="application/json", **auth)
    assert r.status_code == 422
