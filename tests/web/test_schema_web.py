"""The web platform and its API know the synthesis document through the engine's one schema."""
from __future__ import annotations

import pytest

from rapporteur.schema import SCHEMA_VERSION, InvalidSynthesis, json_schema

from .factories import make_synthesis_with_key_points


def test_the_openapi_description_embeds_the_engine_schema(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    components = spec["components"]["schemas"]
    data = components["SynthesisOut"]["properties"]["data"]
    name = data["$ref"].rsplit("/", 1)[1]
    assert name == "SynthesisDocument"
    assert set(components[name]["properties"]) == set(json_schema()["properties"])
    assert set(components[name]["required"]) == set(json_schema()["required"])


def test_the_api_serves_a_published_synthesis_as_the_schema_says(client, people, session):
    synthesis = make_synthesis_with_key_points(session, status="published")
    body = client.get(f"/api/v1/syntheses/{synthesis.pk}").json()
    assert body["data"]["schema_version"] == SCHEMA_VERSION
    assert body["data"]["key_points"][0]["points"][0]["text"] == body["data"]["key_points"][0]["label"]


def test_round_results_that_break_the_schema_are_refused(people, session):
    from rapporteur.schema import validate_synthesis

    data = make_synthesis_with_key_points(session).data
    data["key_points"][0]["measured"] = "confirmed"  # not an object: a writer's mistake
    with pytest.raises(InvalidSynthesis, match=r"key_points\.0\.measured"):
        validate_synthesis(data)
