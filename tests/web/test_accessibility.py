"""Every page type of the site, checked with axe-core in headless Chromium: no serious or critical violation.

The pages are those a visitor, a delegate and the secretariat reach on a session with published
contributions, a real synthesis (the engine run by the worker, in this process), a rating round
and its dashboard, plus the error pages and the API's documentation. The report itself (the
engine's HTML, shown full page on the site) is checked at its own URL.
"""
from __future__ import annotations

import pytest
from django.urls import reverse

from .axe import assert_accessible
from .factories import PASSWORD, make_round_delegates, publish_statements
from .test_browser import CHROMIUM, _chromium_installed  # noqa: F401 (fixture)
from .worker import synthesise_now

pytestmark = [pytest.mark.browser, pytest.mark.engine]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture
def consultation(server, people, session):
    """A session with published statements, a published synthesis, a draft one and an open rating round."""
    from rapporteur.web.rounds import services as round_services
    from rapporteur.web.syntheses import services as synthesis_services

    make_round_delegates(("mexico",))
    contributions = publish_statements(session)
    published = synthesise_now(session, by=people.secretariat)
    assert published.status == "draft", published.error
    synthesis_services.publish_synthesis(published, by=people.secretariat)
    round = round_services.open_round(session, synthesis=published, by=people.secretariat)
    draft = synthesise_now(session, by=people.secretariat)
    from rapporteur.web.drafts import services as draft_services

    from .test_drafts import REVISED, ZERO
    from .worker import run_worker_once

    process = session.phase.process
    versions = [draft_services.upload_draft(process, text=text, file_name="draft.txt", title=title, dated="2018-02-05",
                                            by=people.secretariat) for text, title in ((ZERO, "Zero"), (REVISED, "Rev 1"))]
    run_worker_once()  # their coverage
    for version in versions:
        version.refresh_from_db()
        draft_services.publish(version)
    return {"session": session, "contribution": contributions[0], "published": published, "draft": draft,
            "round": round, "process": session.phase.process}


def _pages(c) -> dict[str, list[str]]:
    s, r = c["session"], c["round"]
    public = [
        reverse("core:home"),
        reverse("processes:process", args=[c["process"].slug]),
        reverse("processes:session", args=[s.pk]),
        reverse("contributions:detail", args=[c["contribution"].pk]),
        reverse("syntheses:detail", args=[c["published"].pk]),
        reverse("syntheses:report", args=[c["published"].pk]),
        reverse("rounds:detail", args=[r.pk]),
        reverse("rounds:dashboard", args=[r.pk]),
        "/accounts/login/",
        "/no-such-page/",
        "/api/v1/docs",
        reverse("drafts:list", args=[c["process"].slug]),
        reverse("drafts:detail", args=[c["process"].slug, 1]),
        reverse("drafts:compare", args=[c["process"].slug]) + "?older=1&newer=2",
    ]
    delegate = [
        reverse("dashboards:delegate"),
        reverse("contributions:create", args=[s.pk]),
    ]
    secretariat = [
        reverse("dashboards:secretariat"),
        reverse("contributions:moderation"),
        reverse("syntheses:detail", args=[c["draft"].pk]),
        reverse("contributions:import", args=[s.pk]),
        reverse("rounds:dashboard", args=[r.pk]),
        reverse("drafts:list", args=[c["process"].slug]),
    ]
    return {None: public, "mexico": ["/dashboard/delegate/", reverse("rounds:detail", args=[r.pk])],
            "delegate": delegate, "secretariat": secretariat}


def _sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.mark.slow
def test_every_page_type_has_no_serious_accessibility_violation(server, consultation):
    from playwright.sync_api import sync_playwright

    failures = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for who, paths in _pages(consultation).items():
                page = browser.new_context().new_page()
                if who:
                    _sign_in(page, server, who)
                for path in paths:
                    page.goto(server + path)
                    page.wait_for_load_state("networkidle")
                    try:
                        assert_accessible(page, f"{path} as {who or 'public'}")
                    except AssertionError as error:
                        failures.append(str(error))
                page.context.close()
        finally:
            browser.close()
    assert not failures, "\n".join(failures)
