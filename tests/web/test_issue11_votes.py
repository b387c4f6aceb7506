"""Issue 11, the rating rounds side: no group of fewer than 3 participants on any public page or
export, every share agrees with the count beside it (item 2); one statement numbering on the site,
in the API and in every export (item 10); the web calls the engine's rules, the dashboard's view
model and key-point membership (item 19)."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import Counter

import pytest
from django.urls import reverse

from rapporteur.web.api.services import issue_token
from rapporteur.web.rounds import selectors, services
from rapporteur.web.rounds.models import RoundAnalysis, Vote

from .factories import STATEMENTS, make_round_delegates, make_synthesis_with_key_points, publish_statements

# Six delegates: Mexico (Americas), Kenya and Ghana (Africa), Philippines (Asia), Germany and
# Caritas (Europe); five Member States and one civil society organisation. Every region and the
# civil-society type have fewer than 3 participants. Caritas votes against everyone else: alone
# in its opinion group.
VOTES = {"mexico": [1, 1, 1], "kenya": [1, 1, 0], "ghana": [1, 1, 1], "philippines": [1, 0, 1],
         "germany": [1, 1, -1], "caritas": [-1, -1, -1]}
SMALL_KNOWN_GROUPS = ("Americas", "Africa", "Asia", "Europe", "civil society")


@pytest.fixture
def delegates(db):
    return make_round_delegates()


@pytest.fixture
def voted_round(people, session, delegates):
    round = services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    for name, values in VOTES.items():
        for statement, value in zip(round.statements.order_by("pk"), values):
            services.cast_vote(round_id=round.pk, statement_id=statement.pk, user=delegates[name], value=value)
    services.refresh_analysis(round.pk)  # what the worker does
    return round


def _text(html: str) -> str:
    """The page as read: tags out, whitespace folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _small_opinion_groups(round) -> list[dict]:
    data = RoundAnalysis.objects.get(round=round).data
    return [g for g in data["region"]["groups"] if g["size"] < 3]


# ---------------------------------------------------------------------------------- item 2
def test_no_group_of_fewer_than_3_on_any_public_page_or_export(client, people, voted_round):
    round = voted_round
    small = _small_opinion_groups(round)
    assert small, "the votes should make an opinion group of fewer than 3 participants"
    for url in (reverse("rounds:dashboard", args=[round.pk]), reverse("rounds:dashboard-live", args=[round.pk])):
        page = _text(client.get(url).content.decode())
        for g in small:
            assert f"Group {g['label']} (" not in page and f"Group {g['label']} —" not in page, url
            assert f"group {g['label']} with" not in page, url  # the map's description
        assert "opinion group with fewer than 3 participants is not shown" in page, url
        for name in SMALL_KNOWN_GROUPS:
            assert name not in page, (url, name)
        assert "Member State" in page  # 5 participants: shown
    # the secretariat sees every group, marked
    client.force_login(people.secretariat)
    page = _text(client.get(reverse("rounds:dashboard", args=[round.pk])).content.decode())
    for g in small:
        assert f"Group {g['label']} ({g['size']} participant" in page
    assert "Small group, hidden from the public" in page
    assert all(name in page for name in SMALL_KNOWN_GROUPS)
    assert "Americas (1 participant; small group, hidden from the public)" in page
    client.logout()

    # the Pol.is export: no group-id held by fewer than 3 participants; the secretariat's has them all
    rows = _polis_rows(client, round)
    sizes = Counter(r["group-id"] for r in rows if r["group-id"] != "")
    assert sizes and min(sizes.values()) >= 3
    summary = dict(csv.reader(io.StringIO(_polis_files(client, round)["summary.csv"])))
    assert summary["groups"] == str(len(sizes))
    client.force_login(people.secretariat)
    assert min(Counter(r["group-id"] for r in _polis_rows(client, round) if r["group-id"] != "").values()) < 3
    client.logout()

    # the vote and statement exports and the API name no group at all
    votes = client.get(reverse("exports:round-votes", args=[round.pk, "json"])).json()
    assert set(votes["rows"][0]) == {"participant", "statement", "vote", "vote_name", "time"}
    statements = client.get(reverse("exports:round-statements", args=[round.pk, "json"])).json()
    assert set(statements["rows"][0]) == {"statement", "text", "origin", "state", "key_point", "author"}
    results = client.get(f"/api/v1/rounds/{round.pk}/results").json()
    assert not any(name in json.dumps(results) for name in SMALL_KNOWN_GROUPS)
    for s in results["statements"]:
        assert set(s) == {"id", "text", "agree", "disagree", "pass", "seen"}


def test_a_published_synthesis_names_no_group_of_fewer_than_3(voted_round):
    from rapporteur.analysis.measured import add_measured, round_results

    analyses = services.analyse_round(voted_round)
    results = round_results(analyses, selectors.statement_meta(voted_round))
    report = add_measured(make_synthesis_with_key_points(voted_round.session).data, results)
    assert [g["name"] for g in report["votes"]["groups"]["type"]] == ["Member State"]
    assert report["votes"]["groups"]["region"] == []
    assert report["votes"]["groups_not_shown"] == {"region": 4, "type": 1}


SHARE_BESIDE_COUNT = re.compile(r"(\d+)% [^%()]{0,60}?\((\d+) of (\d+)(?: votes)?\)")


def test_every_share_on_the_dashboard_agrees_with_its_count(client, people, voted_round):
    for who in (None, people.secretariat):
        if who:
            client.force_login(who)
        page = _text(client.get(reverse("rounds:dashboard", args=[voted_round.pk])).content.decode())
        found = SHARE_BESIDE_COUNT.findall(page)
        for pct, count, of in found:
            assert int(pct) == round(100 * int(count) / int(of)), (pct, count, of)
        assert len(found) >= 8, found
        # representative statements of the opinion groups are among them
        assert re.search(r"\d+% of the group (agree|disagree) \(\d+ of \d+\)", page)


def test_the_engines_vote_report_prints_raw_shares_beside_counts(voted_round):
    from rapporteur.report.votes import render_votes_html, render_votes_markdown

    d = RoundAnalysis.objects.get(round=voted_round).data["region"]
    for text, pattern in ((render_votes_markdown(d), r"(\d+)% of the group, (\d+) of (\d+)"),
                          (_text(render_votes_html(d)), r"(\d+)% \((\d+) of (\d+)\)")):
        found = re.findall(pattern, text)
        assert found
        for pct, count, of in found:
            assert int(pct) == round(100 * int(count) / int(of)), (pct, count, of)


# --------------------------------------------------------------------------------- item 10
def _polis_files(client, round) -> dict[str, str]:
    response = client.get(reverse("exports:round-polis", args=[round.pk]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name.split("/")[-1]: archive.read(name).decode() for name in archive.namelist()}


def _polis_rows(client, round) -> list[dict]:
    return list(csv.DictReader(io.StringIO(_polis_files(client, round)["participants-votes.csv"])))


def test_a_statement_has_one_id_on_the_site_in_the_api_and_in_every_export(client, people, session, delegates):
    # a first round, so that the second round's database ids are not its numbers
    first = services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    services.close_round(first)
    round = services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    texts = [s.text for s in round.statements.order_by("pk")]
    assert [s.pk for s in round.statements.order_by("pk")] != [0, 1, 2]

    token = issue_token(delegates["mexico"], "test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    api_round = {s["text"]: s["id"] for s in client.get(f"/api/v1/rounds/{round.pk}").json()["statements"]}
    assert sorted(api_round.values()) == [0, 1, 2]  # Pol.is's comment-ids, from 0

    # the round page shows the id of the card; the API's next statement and vote use the same id
    client.force_login(delegates["mexico"])
    site = {}
    for _ in texts:
        page = client.get(reverse("rounds:detail", args=[round.pk])).content.decode()
        card = page.split("rating-card")[1].split("</article>")[0]
        text = _text(card.split('class="card-statement"')[1].split("</blockquote>")[0].split(">", 1)[1])
        site[text] = int(re.search(r"Statement #(\d+)", card).group(1))
        nxt = client.get(f"/api/v1/rounds/{round.pk}/next", **auth).json()["statement"]
        assert (nxt["text"], nxt["id"]) == (text, site[text])
        r = client.post(f"/api/v1/rounds/{round.pk}/statements/{nxt['id']}/vote", {"vote": "agree"},
                        content_type="application/json", **auth)
        assert r.status_code == 201 and r.json()["statement"] == site[text]
        assert Vote.objects.filter(statement__round=round, statement__text=text).count() == 1
    assert site == api_round
    page = _text(client.get(reverse("rounds:detail", args=[round.pk])).content.decode())
    for text, number in site.items():  # "Your votes"
        assert f"{text} (#{number})" in page
    client.logout()

    # the dashboard, the API's results, the exports
    services.refresh_analysis(round.pk)
    page = client.get(reverse("rounds:dashboard", args=[round.pk])).content.decode()
    dashboard = {_text(m.group(2)): int(m.group(1)) for m in
                 re.finditer(r'<tr id="statement-(\d+)"><td>\d+</td><td>([^<]+)</td>', page)}
    results = {s["text"]: s["id"] for s in client.get(f"/api/v1/rounds/{round.pk}/results").json()["statements"]}
    statements_csv = {r["text"]: int(r["statement"]) for r in csv.DictReader(io.StringIO(
        client.get(reverse("exports:round-statements", args=[round.pk, "csv"])).content.decode()))}
    statements_json = {r["text"]: r["statement"] for r in
                       client.get(reverse("exports:round-statements", args=[round.pk, "json"])).json()["rows"]}
    votes_json = client.get(reverse("exports:round-votes", args=[round.pk, "json"])).json()
    votes_csv = list(csv.DictReader(io.StringIO(
        client.get(reverse("exports:round-votes", args=[round.pk, "csv"])).content.decode())))
    comments = {r["comment-body"]: int(r["comment-id"]) for r in
                csv.DictReader(io.StringIO(_polis_files(client, round)["comments.csv"]))}
    for surface in (dashboard, results, statements_csv, statements_json, comments):
        assert surface == site
    assert sorted(int(r["statement"]) for r in votes_csv) == sorted(r["statement"] for r in votes_json["rows"]) \
        == sorted(site.values())
    assert {s["text"]: s["statement"] for s in votes_json["statements"]} == site


def test_an_unknown_statement_number_is_refused_by_the_api(client, people, session, delegates):
    round = services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    token = issue_token(delegates["mexico"], "test")
    r = client.post(f"/api/v1/rounds/{round.pk}/statements/3/vote", {"vote": "agree"},
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 404 and r.json() == {"detail": f"Round {round.pk} has no statement 3.",
                                                 "code": "unknown_statement"}
    r = client.post(f"/api/v1/rounds/{round.pk}/statements/0/vote", {"vote": "agree"},
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 201 and Vote.objects.get().statement == round.statements.order_by("pk").first()


# --------------------------------------------------------------------------------- item 19
def test_the_dashboard_shows_the_engines_view_of_the_engines_analysis(voted_round):
    from rapporteur.report.votes import round_view
    from rapporteur.votes import analyse_by

    stored = RoundAnalysis.objects.get(round=voted_round).data

    def analyses_in_order(data):  # PostgreSQL's jsonb reorders keys; the region analysis comes first
        return {"region": data["region"], "type": data["type"]}

    assert stored == json.loads(json.dumps(analyse_by(selectors.conversation(voted_round), ("region", "type"), seed=0)))
    for secretariat in (False, True):
        assert selectors.dashboard(voted_round, stored, show_small_groups=secretariat) == \
            round_view(analyses_in_order(stored), min_group=3, show_small_groups=secretariat)
    assert not hasattr(selectors, "compute_analysis")  # selectors read; the engine analyses


# With these, a sentence makes the matter of several key points ("… protect the human rights of
# migrants" and "Migration is not a human right"), or makes one's matter arguing against it: the
# synthesis makes it a member of one key point, or of none.
MORE_STATEMENTS = {
    "Chile": ("Member State", "CHL", "The human rights of all migrants must be protected, whatever their status. "
                                     "We call for regular pathways for migration."),
    "Ghana": ("Member State", "GHA", "All States must protect the human rights of migrants. "
                                     "Remittances must become cheaper and safer to send."),
    "Austria": ("Member State", "AUT", "Migration is not a human right. Border protection is a sovereign duty of each State."),
}


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_a_statement_gets_the_key_points_the_engine_gave_it(people, session):
    """The real engine and models: each published statement, matched on the platform against the
    synthesis of its own session, gets exactly the key points the synthesis made it a member of
    (one per sentence at most, none for a sentence that argues against a key point)."""
    from rapporteur.web.syntheses import services as synthesis_services
    from rapporteur.web.syntheses.matching import key_points_made

    from .worker import run_worker_once

    contributions = publish_statements(session, {**STATEMENTS, **MORE_STATEMENTS})
    synthesis = synthesis_services.start_synthesis(session=session, by=people.secretariat)
    run_worker_once()
    synthesis.refresh_from_db()
    assert synthesis.status == "draft", synthesis.error
    key_points = synthesis.data["key_points"]
    assert key_points
    assert len(key_points) >= 2
    made_somewhere = False
    for c in contributions:
        engine = {kp["id"] for kp in key_points if any(p.split("#")[0] == f"c{c.pk}" for p in kp["point_ids"])}
        made = key_points_made(c.full_text, synthesis)
        assert {m.key_point for m in made} == engine, c.organisation.name
        # sentence by sentence: the key point the synthesis put it in
        for m in made:
            members = next(kp for kp in key_points if kp["id"] == m.key_point)["points"]
            assert {s["text"] for s in m.sentences} == {p["text"] for p in members if p["contribution"] == f"c{c.pk}"}
        made_somewhere |= bool(engine)
    assert made_somewhere
