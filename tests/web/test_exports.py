"""Exports (CSV, JSON, the Pol.is openData layout) and the import of a Pol.is conversation, round trip."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rapporteur.text.shown import shown
from rapporteur.votes import read_polis
from rapporteur.web.rounds import services
from rapporteur.web.rounds.models import Round, Vote, VoteEvent

from .factories import make_round_delegates, make_synthesis_with_key_points, publish_statements

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "polis-opendata"
POLIS = SHARED / "london.youth.policing"  # 40 comments, 640 votes: CC BY 4.0, The Computational Democracy Project

needs_polis = pytest.mark.skipif(not POLIS.is_dir(), reason="needs ../shared/data/polis-opendata")


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _same_conversation(a, b):
    assert a.statement_ids == b.statement_ids and a.statement_texts == b.statement_texts
    assert (a.moderated_out == b.moderated_out).all()
    assert list(a.participant_ids) == list(b.participant_ids)
    assert a.n_votes == b.n_votes
    assert np.array_equal(np.nan_to_num(a.dense(), nan=9), np.nan_to_num(b.dense(), nan=9))


@needs_polis
def test_a_polis_export_imported_as_a_round_comes_back_the_same(client, people, session, tmp_path):
    original = read_polis(POLIS)
    round, problems = services.import_conversation(session, POLIS, by=people.secretariat)
    assert round.statements.count() == original.n_statements
    assert Vote.objects.filter(round=round).count() == original.n_votes == VoteEvent.objects.filter(round=round).count()
    response = client.get(reverse("exports:round-polis", args=[round.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(tmp_path)
    (folder,) = tmp_path.iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["comments.csv", "participants-votes.csv", "summary.csv", "votes.csv"]
    _same_conversation(read_polis(folder), original)
    # and the export imported again is the same round again
    again, _ = services.import_conversation(session, folder, by=people.secretariat)
    assert list(again.statements.order_by("pk").values_list("external_id", "text", "state")) == \
        list(round.statements.order_by("pk").values_list("external_id", "text", "state"))


def test_a_round_made_here_exports_in_the_polis_layout(client, people, session, tmp_path):
    delegates = make_round_delegates(("mexico", "kenya", "germany"))
    round = services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    statements = list(round.statements.order_by("pk"))
    for name, values in {"mexico": [1, -1, 0], "kenya": [1, 1, 1], "germany": [-1, 1, 0]}.items():
        for s, v in zip(statements, values):
            services.cast_vote(round_id=round.pk, statement_id=s.pk, user=delegates[name], value=v)
    services.cast_vote(round_id=round.pk, statement_id=statements[0].pk, user=delegates["germany"], value=1)  # changed
    response = client.get(reverse("exports:round-polis", args=[round.pk]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path)
    folder = tmp_path / names[0].split("/")[0]
    conv = read_polis(folder)
    assert conv.statement_ids == ["0", "1", "2"] and conv.statement_texts == [s.text for s in statements]
    assert conv.dense().tolist() == [[1, -1, 0], [1, 1, 1], [1, 1, 0]]  # the latest vote counts
    with open(folder / "votes.csv", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == 10  # the history: 9 votes and a change
    comments = list(csv.DictReader(open(folder / "comments.csv", encoding="utf-8")))
    assert [c["agrees"] for c in comments] == ["3", "2", "1"] and comments[0]["moderated"] == "1"


@needs_polis
def test_importing_through_the_site(client, people, session, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in POLIS.iterdir():
            archive.write(path, f"london.youth.policing/{path.name}")
    participants = "participant,type,country\n0,civil society,GBR\n1,local government,GBR\n2,Member State,FRA\n"
    client.force_login(people.secretariat)
    response = client.post(reverse("rounds:import", args=[session.pk]), {
        "export": SimpleUploadedFile("export.zip", buffer.getvalue(), content_type="application/zip"),
        "participants": SimpleUploadedFile("participants.csv", participants.encode(), content_type="text/csv"),
        "title": "London youth policing (Pol.is)",
    })
    round = Round.objects.get()
    assert response.status_code in (200, 302) and round.title == "London youth policing (Pol.is)"
    p = round.participants.get(external_id="2")
    assert (p.country, p.region, p.stakeholder_type) == ("France", "Europe", "Member State")
    bad = client.post(reverse("rounds:import", args=[session.pk]), {
        "export": SimpleUploadedFile("export.zip", _zip({"notes/readme.txt": "nothing here"}), content_type="application/zip"),
    })
    assert bad.status_code == 200 and "not a vote folder" in bad.content.decode()
    assert Round.objects.count() == 1


def _zip(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_votes_are_anonymous_except_for_the_secretariat(client, people, session):
    delegates = make_round_delegates(("mexico", "kenya"))
    round = services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    first = round.statements.order_by("pk").first()
    for name in delegates:
        services.cast_vote(round_id=round.pk, statement_id=first.pk, user=delegates[name], value="agree")
    rows = _csv(client.get(reverse("exports:round-votes", args=[round.pk, "csv"])))
    assert [r["participant"] for r in rows] == ["0", "1"] and set(rows[0]) == {"participant", "statement", "vote",
                                                                                "vote_name", "time"}
    assert client.get(reverse("exports:round-votes", args=[round.pk, "csv"]) + "?identified=1").status_code == 302
    client.force_login(people.delegate)
    assert client.get(reverse("exports:round-votes", args=[round.pk, "csv"]) + "?identified=1").status_code == 403
    client.force_login(people.secretariat)
    rows = _csv(client.get(reverse("exports:round-votes", args=[round.pk, "csv"]) + "?identified=1"))
    assert [(r["organisation"], r["region"]) for r in rows] == [("Mexico", "Americas"), ("Kenya", "Africa")]
    data = client.get(reverse("exports:round-votes", args=[round.pk, "json"]) + "?history=1").json()
    assert data["votes"] == "every vote event, in order" and len(data["rows"]) == 2 and len(data["statements"]) == 3


def test_contributions_points_and_key_points(client, people, session):
    made = publish_statements(session)
    rows = _csv(client.get(reverse("exports:contributions", args=[session.pk, "csv"])))
    assert {r["organisation"] for r in rows} == {"Mexico", "Philippines", "Hungary", "Kenya"}
    assert rows[0]["region"] and rows[0]["text"]
    data = client.get(reverse("exports:contributions", args=[session.pk, "json"])).json()
    assert data["session"] == session.pk and len(data["rows"]) == 4
    points = client.get(reverse("exports:points", args=[session.pk, "json"])).json()["rows"]
    texts = {c.pk: c.full_text for c in made}
    assert len(points) >= 12
    for p in points:
        assert shown(texts[int(p["contribution"][1:])][p["start"]:p["end"]]) == p["text"]  # verbatim but for layout
    synthesis = make_synthesis_with_key_points(session, status="published")
    rows = _csv(client.get(reverse("exports:synthesis-key-points", args=[synthesis.pk, "csv"])))
    assert [r["key_point"] for r in rows] == ["K1", "K2", "K3", "K4", "K5"] and rows[0]["convergence"] == "1"
    draft = make_synthesis_with_key_points(session)
    assert client.get(reverse("exports:synthesis-key-points", args=[draft.pk, "json"])).status_code == 404
    assert client.get(reverse("exports:contributions", args=[session.pk, "xml"])).status_code == 404
    assert json.loads(client.get(reverse("exports:points", args=[session.pk, "json"])).content)["note"]


def test_the_points_export_says_each_point_s_language(client, people, session):
    from pathlib import Path

    udhr = Path(__file__).resolve().parents[2] / "examples" / "udhr-six-languages"
    french, arabic = ((udhr / f"{code}.txt").read_text(encoding="utf-8").splitlines()[:3] for code in ("fr", "ar"))
    publish_statements(session, {"France": ("Member State", "FRA", " ".join(french)),
                                 "Egypt": ("Member State", "EGY", " ".join(arabic))})
    rows = _csv(client.get(reverse("exports:points", args=[session.pk, "csv"])))
    by_organisation = {}
    for row in rows:
        by_organisation.setdefault(row["organisation"], set()).add(row["language"])
    assert by_organisation == {"France": {"fr"}, "Egypt": {"ar"}}
    assert all(r["text"] in " ".join(french + arabic) for r in rows)  # each row's text as said


def test_a_formula_in_a_statement_is_text_in_every_csv(client, people, session):
    """OWASP's CSV-injection rule: a cell a spreadsheet would run starts with an apostrophe."""
    payload = '=HYPERLINK("http://evil.example/","Click for the results")'
    delegates = make_round_delegates(("mexico",))
    round = services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    added = services.add_statement(round, user=delegates["mexico"], text=payload)
    services.moderate_statement(added, approve=True, reason="", by=people.secretariat)
    services.cast_vote(round_id=round.pk, statement_id=added.pk, user=delegates["mexico"], value=-1)
    client.force_login(people.secretariat)
    rows = _csv(client.get(reverse("exports:round-statements", args=[round.pk, "csv"])))
    (row,) = [r for r in rows if payload in r["text"]]
    assert row["text"] == "'" + payload
    zipped = zipfile.ZipFile(io.BytesIO(client.get(reverse("exports:round-polis", args=[round.pk])).content))
    comments_name = next(n for n in zipped.namelist() if n.endswith("comments.csv"))
    comments = list(csv.DictReader(io.StringIO(zipped.read(comments_name).decode())))
    assert [c["comment-body"] for c in comments if payload in c["comment-body"]] == ["'" + payload]
    votes_name = next(n for n in zipped.namelist() if n.endswith("votes.csv") and "participants" not in n)
    assert "-1" in {v["vote"] for v in csv.DictReader(io.StringIO(zipped.read(votes_name).decode()))}  # numbers stay
