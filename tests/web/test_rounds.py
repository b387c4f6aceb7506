"""Rating rounds: opening, voting (without JavaScript and with htmx), priority, moderation, refusals,
the dashboard's refresh in the worker, and the round's results in a new synthesis version."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rapporteur.web.rounds import selectors, services
from rapporteur.web.rounds.models import Round, RoundAnalysis, Statement, Vote, VoteEvent

from .factories import key_point_labels, make_round_delegates, make_synthesis_with_key_points
from .worker import run_worker_once


@pytest.fixture
def delegates(db):
    return make_round_delegates()


@pytest.fixture
def round(people, session, delegates):
    synthesis = make_synthesis_with_key_points(session)
    return services.open_round(session, synthesis=synthesis, by=people.secretariat)


def _vote(client, round, statement, value, htmx=False, **extra):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("rounds:vote", args=[round.pk]), {"statement": statement.pk, "vote": value, **extra},
                       **headers)


def test_a_round_puts_convergence_divergence_then_shared_key_points_to_the_vote(round):
    labels = key_point_labels()
    statements = list(round.statements.order_by("pk"))
    assert [s.key_point for s in statements] == ["K1", "K4", "K3"]  # K2 and K5: one stakeholder each
    assert [s.text for s in statements] == [labels[0], labels[3], labels[2]]
    assert all(s.state == "accepted" and s.origin == "key_point" for s in statements)
    assert "area of convergence 1" in statements[0].context and "area of divergence 1" in statements[1].context
    assert round.is_open and round.title.startswith("Rating of the synthesis of Informal thematic session 1")


def test_one_open_round_per_session(people, session, round):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already has an open round"):
        services.open_round(session, synthesis=round.source_synthesis, by=people.secretariat)
    services.close_round(round)
    second = services.open_round(session, synthesis=round.source_synthesis, by=people.secretariat)
    with pytest.raises(ValidationError, match="already has an open round"):
        services.reopen_round(round)
    assert second.is_open


def test_voting_without_javascript_one_card_after_another(client, round, delegates):
    client.force_login(delegates["mexico"])
    page = client.get(reverse("rounds:detail", args=[round.pk])).content.decode()
    assert "Statement 1 of 3" in page and 'name="vote" value="agree"' in page and "You have rated 0 of 3" in page
    first = selectors.next_statement(round, delegates["mexico"])
    response = _vote(client, round, first, "agree")
    assert response.status_code == 302 and response["Location"].endswith(f"/rounds/{round.pk}/#rating")
    vote = Vote.objects.get()
    assert (vote.statement_id, vote.value, vote.participant.organisation.name) == (first.pk, 1, "Mexico")
    assert (vote.participant.region, vote.participant.stakeholder_type) == ("Americas", "Member State")
    page = client.get(response["Location"]).content.decode()
    assert "Statement 2 of 3" in page and "You have rated 1 of 3" in page
    second = selectors.next_statement(round, delegates["mexico"])
    assert second != first
    _vote(client, round, second, "disagree")
    _vote(client, round, selectors.next_statement(round, delegates["mexico"]), "pass")
    page = client.get(reverse("rounds:detail", args=[round.pk])).content.decode()
    assert "You have rated every statement" in page and "Your votes (3)" in page


def test_with_htmx_the_card_is_swapped_in_place(client, round, delegates):
    client.force_login(delegates["kenya"])
    first = selectors.next_statement(round, delegates["kenya"])
    response = _vote(client, round, first, "agree", htmx=True)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Recorded:" in html and "<strong>agree</strong>" in html and "Statement 2 of 3" in html
    assert 'hx-post="/rounds/' in html and 'hx-target="#rating"' in html


def test_a_double_submit_stores_one_vote_and_a_change_keeps_the_history(client, round, delegates):
    client.force_login(delegates["mexico"])
    statement = round.statements.first()
    for _ in range(2):
        _vote(client, round, statement, "agree")
    assert (Vote.objects.count(), VoteEvent.objects.count()) == (1, 1)
    outcome = services.cast_vote(round_id=round.pk, statement_id=statement.pk, user=delegates["mexico"], value="agree")
    assert not outcome.changed
    _vote(client, round, statement, "disagree", next="votes")
    assert Vote.objects.get().value == -1  # the latest vote counts
    assert list(VoteEvent.objects.values_list("value", flat=True)) == [1, -1]  # every change is kept
    page = client.get(reverse("rounds:detail", args=[round.pk])).content.decode()
    assert "Your votes (1)" in page and '<strong>disagree</strong>' in page


def test_refused_votes_get_a_clear_4xx(client, people, round, delegates):
    client.force_login(delegates["mexico"])
    statement = round.statements.first()
    response = _vote(client, round, statement, "maybe")
    assert response.status_code == 422 and "agree, disagree or pass" in response.content.decode()
    response = client.post(reverse("rounds:vote", args=[round.pk]), {"statement": 999999, "vote": "agree"})
    assert response.status_code == 404 and f"Round {round.pk} has no statement 999999" in response.content.decode()
    response = _vote(client, round, statement, "agree", htmx=True)
    assert response.status_code == 200
    services.close_round(round)
    response = _vote(client, round, statement, "disagree")
    assert response.status_code == 409 and "is closed" in response.content.decode()
    response = _vote(client, round, statement, "disagree", htmx=True)
    assert response.status_code == 409 and "is closed" in response.content.decode()
    assert Vote.objects.get().value == 1
    with pytest.raises(services.VoteRefused) as refused:
        services.cast_vote(round_id=round.pk + 1000, statement_id=statement.pk, user=delegates["mexico"], value=1)
    assert refused.value.status == 404 and refused.value.code == "unknown_round"


def test_only_delegates_of_accredited_organisations_vote(client, people, round):
    statement = round.statements.first()
    response = _vote(client, round, statement, "agree")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(people.delegate)  # Migrant Voices Network: not accredited
    assert _vote(client, round, statement, "agree").status_code == 403
    page = client.get(reverse("rounds:detail", args=[round.pk])).content.decode()
    assert "needs accreditation" in page
    client.force_login(people.secretariat)
    assert _vote(client, round, statement, "agree").status_code == 403
    client.force_login(people.other_delegate)  # Diaspora Forum: ECOSOC status
    assert _vote(client, round, statement, "agree").status_code == 302
    assert Vote.objects.count() == 1


def test_statements_with_fewest_votes_come_first(round, delegates):
    a, b, c = round.statements.order_by("pk")
    for name in ("kenya", "ghana"):
        services.cast_vote(round_id=round.pk, statement_id=a.pk, user=delegates[name], value=1)
    services.cast_vote(round_id=round.pk, statement_id=b.pk, user=delegates["kenya"], value=1)
    assert selectors.next_statement(round, delegates["mexico"]) == c  # 0 votes, then b (1), then a (2)
    services.cast_vote(round_id=round.pk, statement_id=c.pk, user=delegates["mexico"], value=0)
    assert selectors.next_statement(round, delegates["mexico"]) == b
    services.cast_vote(round_id=round.pk, statement_id=b.pk, user=delegates["mexico"], value=0)
    assert selectors.next_statement(round, delegates["mexico"]) == a
    services.cast_vote(round_id=round.pk, statement_id=a.pk, user=delegates["mexico"], value=0)
    assert selectors.next_statement(round, delegates["mexico"]) is None
    # equal counts: a fixed order per participant, not the same for everyone
    services.close_round(round)
    fresh = services.open_round(round.session, synthesis=round.source_synthesis, by=None)
    firsts = {selectors.next_statement(fresh, delegates[n]).pk for n in delegates}
    assert len(firsts) > 1
    assert selectors.next_statement(fresh, delegates["germany"]) == selectors.next_statement(fresh, delegates["germany"])


def test_added_statements_are_shown_once_accepted(client, people, round, delegates):
    client.force_login(delegates["caritas"])
    response = client.post(reverse("rounds:add-statement", args=[round.pk]),
                           {"text": "  Firewalls between   public services and immigration enforcement protect migrants. "})
    assert response.status_code == 302
    added = Statement.objects.get(origin="participant")
    assert added.state == "pending" and added.text == ("Firewalls between public services and immigration enforcement "
                                                       "protect migrants.")
    assert selectors.next_statement(round, delegates["kenya"]) != added
    with pytest.raises(services.VoteRefused, match="already in the round"):
        services.add_statement(round, user=delegates["kenya"], text=added.text.upper())
    client.force_login(people.moderator)
    page = client.get(reverse("rounds:detail", args=[round.pk])).content.decode()
    assert "Statements awaiting moderation (1)" in page and "Caritas" not in page  # moderators see no names
    client.post(reverse("rounds:moderate", args=[added.pk]), {"decision": "reject", "reason": ""})
    added.refresh_from_db()
    assert added.state == "pending"  # a rejection needs a reason
    client.post(reverse("rounds:moderate", args=[added.pk]), {"decision": "approve", "reason": ""})
    added.refresh_from_db()
    assert added.state == "accepted"
    assert selectors.next_statement(round, delegates["kenya"]) in round.statements.all()
    for s in round.statements.exclude(pk=added.pk):
        services.cast_vote(round_id=round.pk, statement_id=s.pk, user=delegates["ghana"], value=1)
    assert selectors.next_statement(round, delegates["kenya"]) == added  # nobody voted on it yet
    assert RoundAnalysis.objects.get(round=round).statements_version == 1


def test_an_over_long_statement_is_refused(round, delegates):
    with pytest.raises(services.VoteRefused, match="at most 400 characters"):
        services.add_statement(round, user=delegates["kenya"], text="word " * 100)


def _vote_all(round, votes: dict):
    for name, values in votes.items():
        for statement, value in zip(round.statements.order_by("pk"), values):
            services.cast_vote(round_id=round.pk, statement_id=statement.pk, user=name, value=value)


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_is_refreshed_by_the_worker_at_most_every_few_seconds(client, people, round, delegates):
    from django_tasks_db.models import DBTaskResult

    url = reverse("rounds:dashboard", args=[round.pk])
    page = client.get(url).content.decode()
    assert "No vote yet" in page and DBTaskResult.objects.count() == 0
    _vote_all(round, {delegates[n]: v for n, v in {"mexico": [1, 1, 1], "kenya": [1, -1, 1], "ghana": [1, -1, 0],
                                                     "germany": [1, 1, -1]}.items()})
    page = client.get(url).content.decode()
    assert "12</strong> votes from <strong>4</strong> participants" in page and "Analysing the first votes" in page
    client.get(reverse("rounds:dashboard-live", args=[round.pk]))
    assert DBTaskResult.objects.count() == 1  # asked once, however many readers
    run_worker_once()
    analysis = RoundAnalysis.objects.get(round=round)
    assert analysis.data["region"]["counts"]["votes"] == 12 and analysis.computed_at
    page = client.get(url).content.decode()
    assert "Analysis of 12 votes" in page and "updating" not in page
    assert "By UN region" in page and "groups with fewer than 3 participants are not shown" in page  # public view
    assert "Americas" not in page.split("By UN region")[1].split("</section>")[0]
    client.force_login(people.secretariat)
    page = client.get(url).content.decode()
    assert '<span class="group-name">Americas</span>' in page and '<span class="group-name">Africa</span>' in page
    assert "Member State" in page
    # a new vote: stale, but asked again only after REFRESH_MIN_SECONDS
    services.cast_vote(round_id=round.pk, statement_id=round.statements.first().pk, user=delegates["mexico"], value=-1)
    assert not services.request_refresh(round)  # the last request was under 2 s ago
    RoundAnalysis.objects.filter(round=round).update(requested_at=timezone.now() - timedelta(seconds=3))
    assert "updating" in client.get(url).content.decode()
    assert DBTaskResult.objects.count() == 2
    run_worker_once()
    assert RoundAnalysis.objects.get(round=round).data["region"]["counts"]["votes"] == 12
    assert not services.request_refresh(round)  # up to date


def test_the_dashboard_page_works_without_javascript(client, round):
    page = client.get(reverse("rounds:dashboard", args=[round.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="10"></noscript>' in page
    assert 'hx-trigger="every 3s"' in page and "vendor/htmx/htmx-2.0.11.min.js" in page


@pytest.mark.django_db(transaction=True)
def test_the_results_go_into_a_new_synthesis_version(client, people, session, round, delegates):
    from rapporteur.web.syntheses import services as synthesis_services
    from rapporteur.web.syntheses.models import Synthesis

    from .factories import publish_statements

    publish_statements(session)
    client.force_login(people.secretariat)
    client.post(reverse("rounds:add-to-synthesis", args=[round.pk]))
    assert Synthesis.objects.count() == 1  # no vote yet: nothing to add
    votes = {"mexico": [1, 1, 1], "kenya": [1, -1, 1], "ghana": [1, -1, 0], "germany": [1, 1, -1],
             "philippines": [1, 1, 1], "caritas": [1, -1, 1]}
    _vote_all(round, {delegates[n]: v for n, v in votes.items()})
    base = round.source_synthesis
    real = _real_report_data(base)
    Synthesis.objects.filter(pk=base.pk).update(data=real)
    client.force_login(people.secretariat)
    response = client.post(reverse("rounds:add-to-synthesis", args=[round.pk]))
    new = Synthesis.objects.exclude(pk=base.pk).get()
    assert response["Location"] == reverse("syntheses:detail", args=[new.pk]) and new.based_on == base
    run_worker_once()
    new.refresh_from_db()
    assert new.status == "draft" and new.round == round, new.error
    kp = {k["id"]: k for k in new.data["key_points"]}
    assert kp["K1"]["measured"]["agree"] == 6 and kp["K1"]["measured"]["convergent"] is True
    assert kp["K1"]["measured"]["per_group"]["type"]["Member State"]["n"] == 5
    assert new.data["convergence"][0]["measured"]["confirmed"] is True
    assert new.data["divergence"][0]["measured"]["confirmed"] is True  # K4: 3 agree, 3 disagree
    assert kp["K2"]["measured"] is None
    assert "Measured agreement" in new.report_html and "Confirmed by the vote" in new.report_html
    assert "## Measured agreement" in new.report_markdown
    synthesis_services.publish_synthesis(new, by=people.secretariat)
    client.logout()
    page = client.get(reverse("processes:session", args=[session.pk])).content.decode()
    assert f"Version {new.version}, published" in page


def _real_report_data(synthesis) -> dict:
    """A report dict with every section the renderers read (the engine's shape), around our key points."""
    data = dict(synthesis.data)
    data.update({
        "about": None, "taxonomy": {"name": "GCM thematic sessions", "source": "", "themes": []},
        "counts": {"contributions": 4, "speakers_analysed": 4, "analysed": 12, "key_points": 5, "unclustered": 0,
                   "procedural": 0, "fragments": 0},
        "representation": {"speakers": 4, "member_states": 4, "no_country": 0, "regions": [], "subregions": [],
                           "types": [], "absent_types": [], "themes": []},
        "recommendations": [], "practices": [], "unclustered_point_ids": [], "skipped": [], "limits": ["A test."],
        "settings": {"rapporteur": "test", "embedding_model": "none",
                     "agreement": {"min_stakeholders": 3, "min_share": 0.05, "min_regions": 3, "attach_similarity": 0.55},
                     "key_points": {"similarity": 0.6}},
    })
    for kp in data["key_points"]:
        kp.update(theme=None, theme_label=None, keywords=[], share_of_speakers=0.25, stakeholders=["Mexico"],
                  label_point="c1#1")
    for item in data["convergence"]:
        item.update(n_stakeholders=3, regions={"Africa": 1}, types={"Member State": 3}, rule="test", point_ids=[], points=[])
    for item in data["divergence"]:
        item.update(kind="opposed", rule="test", point_ids=[], sides=[])
    return data


def test_an_imported_round_stays_closed(people, session):
    from pathlib import Path

    from django.core.exceptions import ValidationError

    from .test_exports import POLIS

    if not POLIS.is_dir():
        pytest.skip("needs ../shared/data/polis-opendata")

    round, problems = services.import_conversation(session, POLIS, by=people.secretariat)
    assert not round.is_open and round.imported_from == Path(POLIS).name
    with pytest.raises(ValidationError, match="stays closed"):
        services.reopen_round(round)
    assert Round.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_vote_and_its_history_are_one_statement(people, session, delegates):
    """The per-vote path as the site runs it (autocommit; on PostgreSQL one INSERT … WITH statement)."""
    round = services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    statement = round.statements.first()
    user = delegates["ghana"]
    outcomes = [services.cast_vote(round_id=round.pk, statement_id=statement.pk, user=user, value=v).changed
                for v in ("agree", "agree", "pass", "pass", "agree")]
    assert outcomes == [True, False, True, False, True]
    assert Vote.objects.get().value == 1
    assert list(VoteEvent.objects.order_by("pk").values_list("value", flat=True)) == [1, 0, 1]
