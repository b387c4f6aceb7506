"""Issue 11, the secretariat's side: ECOSOC status in one step (item 5), one moderation queue with one
action bar (6), the draft synthesis reviewed on a full page (7), sessions that say what can be done
with them (8), and the synthesis page's notes inside <main> (13)."""
from __future__ import annotations

import datetime
import re

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from rapporteur.web.contributions.models import Contribution
from rapporteur.web.organisations.models import Organisation
from rapporteur.web.processes.models import Session
from rapporteur.web.rounds import services as round_services
from rapporteur.web.rounds.models import Statement
from rapporteur.web.syntheses.models import Synthesis

from .factories import PASSWORD, make_synthesis_with_key_points, publish_statements

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _text(response) -> str:
    return " ".join(lxml.html.fromstring(response.content).text_content().split())


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# ------------------------------------------------------------------------------ item 5: ECOSOC status
def test_the_secretariat_sets_ecosoc_status_and_accreditation_in_one_step(client, people):
    own = people.own  # civil society, no status, accreditation not requested
    _login(client, people.secretariat)
    page = client.get(reverse("organisations:list"))
    assert page.status_code == 200
    form = lxml.html.fromstring(page.content).xpath(f'//form[@aria-label="ECOSOC status of {own.name}"]')[0]
    assert [o.text for o in form.xpath(".//select/option")] == ["General", "Special", "Roster", "None"]

    url = reverse("organisations:set-ecosoc-status", args=[own.pk])
    response = client.post(url, {"ecosoc_status": "special"}, follow=True)
    own.refresh_from_db()
    assert (own.ecosoc_status, own.accreditation, own.is_accredited) == ("special", "ecosoc", True)
    assert "ECOSOC status special consultative status; accreditation ECOSOC consultative status" in _messages(response)

    client.post(url, {"ecosoc_status": ""})
    own.refresh_from_db()
    assert (own.ecosoc_status, own.accreditation, own.is_accredited) == ("", "not_requested", False)


def test_ecosoc_status_settles_a_pending_request_and_keeps_a_special_accreditation(client, people):
    from rapporteur.web.organisations import services

    services.request_accreditation(people.own, "We represent migrants.")
    _login(client, people.secretariat)
    dashboard = client.get(reverse("dashboards:secretariat"))
    assert lxml.html.fromstring(dashboard.content).xpath(f'//form[@aria-label="ECOSOC status of {people.own.name}"]')
    client.post(reverse("organisations:set-ecosoc-status", args=[people.own.pk]),
                {"ecosoc_status": "roster", "next": "secretariat"})
    people.own.refresh_from_db()
    assert (people.own.ecosoc_status, people.own.accreditation) == ("roster", "ecosoc")
    assert people.own not in list(Organisation.objects.filter(accreditation="requested"))

    approved = services.create_organisation("Cities Alliance", "local authority", "BEL")
    services.request_accreditation(approved, "Cities host migrants.")
    services.decide_accreditation(approved, approve=True, reason="", by=people.secretariat)
    client.post(reverse("organisations:set-ecosoc-status", args=[approved.pk]), {"ecosoc_status": ""})
    approved.refresh_from_db()
    assert approved.accreditation == "approved"  # clearing a status it never had leaves its accreditation


def test_ecosoc_status_is_the_secretariats_and_bad_values_are_named(client, people):
    url = reverse("organisations:set-ecosoc-status", args=[people.own.pk])
    _login(client, people.delegate)
    assert client.post(url, {"ecosoc_status": "general"}).status_code == 403
    assert client.get(reverse("organisations:list")).status_code == 403
    client.logout()
    _login(client, people.secretariat)
    response = client.post(url, {"ecosoc_status": "consultative"}, follow=True)
    assert "consultative" in _messages(response)
    from rapporteur.web.organisations import services

    mexico = services.create_organisation("Mexico", "Member State", "MEX")
    response = client.post(reverse("organisations:set-ecosoc-status", args=[mexico.pk]), {"ecosoc_status": "general"},
                           follow=True)
    assert "Mexico is a Member State: it takes part by right and has no ECOSOC status." in _messages(response)
    people.own.refresh_from_db()
    mexico.refresh_from_db()
    assert (people.own.ecosoc_status, people.own.accreditation) == ("", "not_requested")
    assert (mexico.ecosoc_status, mexico.accreditation) == ("", "by_right")


# ------------------------------------------------------------------------------ item 6: one moderation queue
def _queue(people, session, n_contributions=16, n_statements=3):
    """Submitted contributions of an accredited organisation and statements added to an open round."""
    now = timezone.now()
    contributions = [
        Contribution.objects.create(
            session=session, organisation=people.other, submitted_by=people.other_delegate, state="submitted",
            title=f"Statement {i + 1} on regular pathways", submitted_at=now,
            text=("We call for regular pathways for labour migration and for the recognition of skills. " * 6).strip())
        for i in range(n_contributions)
    ]
    round = round_services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    statements = [round_services.add_statement(round, user=people.other_delegate,
                                               text=f"Cities need a seat at table {i + 1}.")
                  for i in range(n_statements)]
    return contributions, statements


def _keys(contributions=(), statements=()):
    return [f"contribution-{c.pk}" for c in contributions] + [f"statement-{s.pk}" for s in statements]


def test_several_items_are_published_in_one_post(client, people, session):
    contributions, statements = _queue(people, session, n_contributions=3, n_statements=2)
    _login(client, people.moderator)
    response = client.post(reverse("contributions:moderate-selected"),
                           {"items": _keys(contributions[:2], statements), "action": "publish"}, follow=True)
    assert [c.state for c in Contribution.objects.filter(pk__in=[c.pk for c in contributions]).order_by("pk")] == [
        "published", "published", "submitted"]
    assert {s.state for s in Statement.objects.filter(pk__in=[s.pk for s in statements])} == {"accepted"}
    assert {c.moderated_by for c in Contribution.objects.filter(state="published")} == {people.moderator}
    assert "Published 4:" in _messages(response)


def test_one_reason_is_stored_on_every_rejected_item_and_is_required(client, people, session):
    contributions, statements = _queue(people, session, n_contributions=2, n_statements=1)
    _login(client, people.moderator)
    url = reverse("contributions:moderate-selected")
    keys = _keys(contributions, statements)
    response = client.post(url, {"items": keys, "action": "reject", "reason": " "}, follow=True)
    assert "A rejection needs a reason" in _messages(response)
    assert Contribution.objects.filter(state="submitted").count() == 2
    assert Statement.objects.filter(state="pending").count() == 1

    client.post(url, {"items": keys, "action": "reject", "reason": "Not about migration."})
    rejected = list(Contribution.objects.filter(pk__in=[c.pk for c in contributions])) + list(
        Statement.objects.filter(pk__in=[s.pk for s in statements]))
    assert [(x.state, x.moderation_reason) for x in rejected] == [("rejected", "Not about migration.")] * 3


def test_each_item_is_checked_on_its_own(client, people, session):
    """An item the moderator may not moderate (already decided), or that cannot be published (its
    organisation is not accredited), is refused and named; the others are decided."""
    contributions, _ = _queue(people, session, n_contributions=2, n_statements=0)
    unaccredited = Contribution.objects.create(session=session, organisation=people.own, submitted_by=people.delegate,
                                               state="submitted", text="Statement.", submitted_at=timezone.now())
    published = publish_statements(session)[0]
    _login(client, people.moderator)
    response = client.post(reverse("contributions:moderate-selected"),
                           {"items": _keys([*contributions, unaccredited, published]), "action": "publish"}, follow=True)
    assert [Contribution.objects.get(pk=c.pk).state for c in contributions] == ["published", "published"]
    unaccredited.refresh_from_db()
    assert unaccredited.state == "submitted"
    said = _messages(response)
    assert "Migrant Voices Network is not accredited" in said
    assert "you may not moderate it (it is published)" in said
    _login(client, people.delegate)
    assert client.post(reverse("contributions:moderate-selected"),
                       {"items": _keys([unaccredited]), "action": "reject", "reason": "x"}).status_code == 403


def test_round_statements_are_in_the_queue_and_its_counts(client, people, session):
    contributions, statements = _queue(people, session, n_contributions=2, n_statements=3)
    _login(client, people.moderator)
    page = client.get(reverse("contributions:moderation"))
    doc = lxml.html.fromstring(page.content)
    assert " ".join(doc.xpath("//h1")[0].text_content().split()) == "Moderation queue (5)"
    assert sorted(doc.xpath('//input[@name="items"]/@value')) == sorted(_keys(contributions, statements))
    assert "Cities need a seat at table 2." in _text(page)
    nav = " ".join(doc.xpath('//nav[@aria-label="Main"]//a[contains(@href, "/moderation/")]')[0].text_content().split())
    assert nav == "Moderation (5 awaiting)"
    assert len(doc.xpath('//form[@aria-label="Moderate the selected items"]')) == 1  # one form, one action bar
    assert [b.text for b in doc.xpath("//main//form//button")] == ["Publish selected", "Reject selected"]
    client.logout()
    _login(client, people.secretariat)
    dashboard = lxml.html.fromstring(client.get(reverse("dashboards:secretariat")).content)
    assert " ".join(dashboard.xpath('//h2[@id="moderation-heading"]')[0].text_content().split()) == "Moderation queue (5)"
    assert len(dashboard.xpath('//input[@name="items"]')) == 5


def _browser_page(playwright, base, user):
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return browser, page


@pytest.mark.browser
def test_a_queue_of_19_items_fits_on_a_short_page_and_select_all_publishes_them(server, people, session):
    from playwright.sync_api import expect, sync_playwright

    _queue(people, session, n_contributions=16, n_statements=3)
    with sync_playwright() as p:
        browser, page = _browser_page(p, server, people.moderator)
        try:
            page.goto(server + reverse("contributions:moderation"))
            expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue (19)")
            height = page.evaluate("() => document.documentElement.scrollHeight")
            assert height < 3000, f"the queue of 19 items is {height} px high"
            page.get_by_label("Select all").check()
            assert page.locator('input[name="items"]:checked').count() == 19
            page.get_by_role("button", name="Publish selected").click()
            expect(page.get_by_role("status")).to_contain_text("Published 19:")
            expect(page.get_by_text("Nothing awaits moderation.")).to_be_visible()
        finally:
            browser.close()
    assert Contribution.objects.filter(state="published").count() == 16
    assert Statement.objects.filter(origin="participant", state="accepted").count() == 3


# ------------------------------------------------------------------------------ item 7: full-page review
REPORT = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Synthesis</title></head><body>"
          "<main><h1>Synthesis of the session</h1>" + "<p>The human rights of all migrants must be protected.</p>" * 300
          + "</main><script>document.body.dataset.charts = 'drawn';</script></body></html>")


def _draft(session, html=REPORT):
    synthesis = make_synthesis_with_key_points(session)
    synthesis.report_html = html
    synthesis.save()
    return synthesis


def test_the_draft_is_reviewed_on_a_sandboxed_full_page_with_publish_above_and_below(client, people, session):
    from rapporteur.web.syntheses.views import REPORT_CSP

    draft = _draft(session)
    _login(client, people.secretariat)
    detail = lxml.html.fromstring(client.get(reverse("syntheses:detail", args=[draft.pk])).content)
    assert detail.xpath(f'//a[@href="{reverse("syntheses:review", args=[draft.pk])}"]')

    response = client.get(reverse("syntheses:review", args=[draft.pk]))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == REPORT_CSP and REPORT_CSP.startswith("sandbox allow-scripts")
    assert response["X-Frame-Options"] == "DENY"
    doc = lxml.html.fromstring(response.content)
    assert not doc.xpath("//iframe")
    body = doc.xpath("//body")[0]
    publish = reverse("syntheses:publish", args=[draft.pk])
    first, last = body[0], body[-1]  # the bars, first and last in the body, around the whole report
    assert (first.get("aria-label"), last.get("aria-label")) == (
        "Review of the draft (top)", "Review of the draft (bottom)")
    links = [*first.xpath(f'.//a[@href="{publish}"]'), *last.xpath(f'.//a[@href="{publish}"]')]
    assert [a.text_content() for a in links] == [f"Publish version {draft.version}…"] * 2
    assert len(doc.xpath("//main/p")) == 300  # the whole report, unchanged, between them

    confirm = client.get(publish)
    assert confirm.status_code == 200
    button = lxml.html.fromstring(confirm.content).xpath(f'//form[@method="post"][@action="{publish}"]//button')[0]
    assert button.text == f"Publish version {draft.version}"
    client.post(publish)
    draft.refresh_from_db()
    assert draft.status == "published"
    assert client.get(reverse("syntheses:review", args=[draft.pk])).url == reverse("syntheses:report", args=[draft.pk])


def test_only_the_secretariat_reviews_a_draft(client, people, session):
    draft = _draft(session)
    assert client.get(reverse("syntheses:review", args=[draft.pk])).status_code == 404
    _login(client, people.delegate)
    assert client.get(reverse("syntheses:review", args=[draft.pk])).status_code == 404
    assert client.get(reverse("syntheses:publish", args=[draft.pk])).status_code == 404


@pytest.mark.browser
@pytest.mark.engine
def test_the_review_page_holds_the_whole_report_without_an_inner_scrollbar(server, people, session):
    """The engine's real report (run by the worker, here) reviewed in Chromium."""
    from playwright.sync_api import expect, sync_playwright

    from .worker import synthesise_now

    publish_statements(session)
    draft = synthesise_now(session, by=people.secretariat)
    assert draft.status == "draft" and draft.report_html, draft.error
    with sync_playwright() as p:
        browser, page = _browser_page(p, server, people.secretariat)
        try:
            page.goto(server + reverse("syntheses:review", args=[draft.pk]))
            top, bottom = (page.get_by_role("region", name=f"Review of the draft ({where})")
                           .get_by_role("link", name="Publish version 1…") for where in ("top", "bottom"))
            expect(top).to_be_visible()
            assert top.bounding_box()["y"] < 300  # at the top of the page
            measures = page.evaluate("""() => {
              const main = document.querySelector('main');
              const scrollers = [...document.querySelectorAll('*')].filter(e => {
                const s = getComputedStyle(e); return /(auto|scroll)/.test(s.overflowY) && e.scrollHeight > e.clientHeight + 2; });
              let cookie; try { cookie = document.cookie; } catch (e) { cookie = 'blocked: ' + e.name; }
              return {page: document.documentElement.scrollHeight, viewport: innerHeight, main: main.getBoundingClientRect().height,
                      mainScroll: main.scrollHeight, frames: document.querySelectorAll('iframe').length,
                      scrollers: scrollers.map(e => e.tagName + '.' + e.className),
                      charts: document.querySelectorAll('.js-plotly-plot').length, cookie};
            }""")
            assert measures["frames"] == 0 and measures["scrollers"] == [], measures
            assert measures["page"] > 3 * measures["viewport"], measures  # the page scrolls the whole report
            assert measures["main"] >= measures["mainScroll"] - 1, measures  # nothing of the report is clipped
            assert measures["charts"] > 0, measures  # the report's own scripts (its charts) run…
            assert measures["cookie"].startswith("blocked"), measures  # …in a sandbox: no cookie of the site
            bottom.scroll_into_view_if_needed()
            bottom.click()
            page.get_by_role("button", name="Publish version 1").click()
            expect(page.locator("#synthesis-status")).to_have_text("published")
        finally:
            browser.close()


# ------------------------------------------------------------------------------ item 8: what a session allows
def test_run_synthesis_is_offered_only_where_there_are_published_contributions(client, people, session):
    publish_statements(session)
    _login(client, people.secretariat)
    doc = lxml.html.fromstring(client.get(reverse("dashboards:secretariat")).content)
    runs = doc.xpath('//button[starts-with(@aria-label, "Run synthesis of ")]/@aria-label')
    assert runs == [f"Run synthesis of {session.title}"]
    assert len(doc.xpath('//*[text()="No published contribution to synthesise"]')) == Session.objects.count() - 1
    phases = [b.text for b in doc.xpath("//button") if b.text and b.text.startswith("Run synthesis of phase")]
    assert phases == [f"Run synthesis of phase {session.phase.number}"]

    other = Session.objects.exclude(pk=session.pk).first()
    page = _text(client.get(reverse("processes:session", args=[other.pk])))
    assert "Run synthesis of this session" not in page
    assert "No synthesis to run yet: the session has no published contribution." in page
    assert "Run synthesis of this session" in _text(client.get(reverse("processes:session", args=[session.pk])))


def test_open_a_rating_round_is_offered_once_a_synthesis_exists(client, people, session):
    publish_statements(session)
    _login(client, people.secretariat)
    url = reverse("processes:session", args=[session.pk])
    page = lxml.html.fromstring(client.get(url).content)
    assert not page.xpath('//a[text()="Open a rating round"]')
    assert "run the session's synthesis first" in page.text_content()
    make_synthesis_with_key_points(session)
    assert lxml.html.fromstring(client.get(url).content).xpath('//a[text()="Open a rating round"]')


@pytest.mark.parametrize("status, days, says", [
    ("closed", -30, "closed to contributions since"),
    ("closed", +30, "closed to contributions"),
    ("published", -30, "closed to contributions since"),
    ("open", -1, "contributions closed on"),
    ("open", +30, "contributions until"),
])
def test_a_session_says_whether_it_takes_contributions(client, session, status, days, says):
    session.status = status
    session.contributions_deadline = timezone.now() + timezone.timedelta(days=days)
    session.save()
    status_line = " ".join(lxml.html.fromstring(client.get(reverse("processes:session", args=[session.pk])).content)
                           .xpath('//dt[text()="Status"]/following-sibling::dd[1]')[0].text_content().split())
    assert says in status_line
    if status != "open" or days < 0:
        assert "until" not in status_line


def test_opening_a_session_with_a_past_deadline_is_refused(client, people, session):
    session.status = "closed"
    session.contributions_deadline = timezone.now() - timezone.timedelta(days=2)
    session.save()
    _login(client, people.secretariat)
    url = reverse("processes:session-status", args=[session.pk])
    past = session.contributions_deadline.strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"status": "open", "contributions_deadline": past}, follow=True)
    session.refresh_from_db()
    assert session.status == "closed"
    assert re.search(r"The deadline for contributions, .+ UTC, has passed: set a later deadline \(or clear it\) to open",
                     _messages(response)), _messages(response)
    later = (timezone.now() + timezone.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {"status": "open", "contributions_deadline": later})
    session.refresh_from_db()
    assert session.status == "open" and session.accepts_contributions


def test_a_delegate_past_the_deadline_is_told_when_contributions_closed(client, people, session):
    draft = Contribution.objects.create(session=session, organisation=people.own, submitted_by=people.delegate,
                                        text="We call for regular pathways.", state="submitted",
                                        submitted_at=timezone.now())
    session.contributions_deadline = datetime.datetime(2025, 1, 31, 17, 0, tzinfo=datetime.timezone.utc)
    session.save()
    _login(client, people.delegate)
    for url in (reverse("contributions:create", args=[session.pk]), reverse("contributions:edit", args=[draft.pk])):
        response = client.get(url)
        assert response.status_code == 403
        doc = lxml.html.fromstring(response.content)
        assert doc.xpath("//h1")[0].text_content() == "Contributions closed on 31 January 2025, 17:00 UTC"
        assert doc.xpath('//header[@class="site-header"]')  # a page of the site, not a bare 403


# ------------------------------------------------------------------------------ item 13: notes inside <main>
def test_the_measured_agreement_note_is_inside_main(client, people, session):
    first = make_synthesis_with_key_points(session, status="published")
    round = round_services.open_round(session, synthesis=first, by=people.secretariat)
    second = Synthesis.objects.create(session=session, version=2, status="published", data=first.data,
                                      round=round, based_on=first, contribution_count=4)
    html = client.get(reverse("syntheses:detail", args=[second.pk])).content.decode()
    head = html[html.index("<head>"):html.index("</head>")]
    assert "Includes the measured agreement" not in head
    doc = lxml.html.fromstring(html)
    note = doc.xpath('//p[contains(., "Includes the measured agreement")]')
    assert len(note) == 1
    assert [a.tag for a in note[0].iterancestors()][:2] == ["main", "body"]
    assert " ".join(note[0].text_content().split()) == (
        f"Includes the measured agreement of the rating round {round.title}, added to the text analysis of version 1.")
