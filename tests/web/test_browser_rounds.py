"""End to end, in a real browser: a rating round from the synthesis to the published measured agreement.

The secretariat runs a session's synthesis and opens a rating round on its key points; two
delegates of Member States in different regions (Mexico, Kenya) rate the statements — one with the
mouse, one with the keyboard — and one adds a statement that a moderator accepts; the live
dashboard shows their regions; the secretariat adds the round's results to a new version of the
synthesis and publishes it; an anonymous visitor reads the measured agreement in it.
Same site fixture as test_browser.py (server + worker, SQLite or a fresh PostgreSQL database).
"""
from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil

import pytest

from rapporteur.analysis.candidates import rejection

from .factories import STATEMENTS
from .test_browser import CHROMIUM, OUT, _chromium_installed, _cli, _sign_in, site  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.engine]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
ADDED = "Cities must have a seat at the table when migration is governed."


# A fifth statement that makes the Philippines' remittances point, so that the synthesis has two
# key points raised by two or more stakeholders (the matcher reads Kenya's "Remittances from the
# diaspora are vital for development" as another claim) and the round has several statements.
GERMANY = ("Member State", "DEU", "The cost of sending remittances must come down. Sending money home should be safe and cheap.")


def _statements_csv(tmp_path):
    path = tmp_path / "statements.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["stakeholder", "type", "country", "text"])
        for name, (type_, iso3, text) in {**STATEMENTS, "Germany": GERMANY}.items():
            writer.writerow([name, type_, iso3, text])
    return path


@pytest.mark.slow
def test_two_delegates_rate_a_round_and_the_synthesis_shows_the_measured_agreement(site, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    base, env = site["base"], site["env"]
    _cli(env, "adduser", "mexico", "--role", "delegate", "--organisation", "Mexico", "--type", "Member State",
         "--country", "MEX")
    _cli(env, "adduser", "kenya", "--role", "delegate", "--organisation", "Kenya", "--type", "Member State",
         "--country", "KEN")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pages = {}
        try:
            for who in ("secretariat", "mexico", "kenya", "public"):
                pages[who] = browser.new_context().new_page()
            sec, mex, ken, pub = pages["secretariat"], pages["mexico"], pages["kenya"], pages["public"]

            # The secretariat imports four statements into thematic session 1 and runs its synthesis.
            _sign_in(sec, base, "sofia")
            sec.goto(base + "/processes/gcm/")
            sec.get_by_role("link", name=re.compile(r"^Informal thematic session 1:")).click()
            session_url = sec.url
            session_id = re.search(r"/sessions/(\d+)/", session_url).group(1)
            _cli(env, "import-contributions", session_id, str(_statements_csv(tmp_path)))
            sec.reload()
            sec.get_by_role("button", name="Run synthesis of this session").click()
            expect(sec.locator("#synthesis-status")).to_contain_text("draft, ready for review", timeout=300_000)

            # ... and opens a rating round on the synthesis's key points.
            sec.goto(session_url)
            sec.get_by_role("link", name="Open a rating round").click()
            sec.get_by_role("button", name="Open the round").click()
            expect(sec.get_by_role("status")).to_contain_text("The round is open with")
            round_url = sec.url
            total = int(re.search(r"open with (\d+) statements", sec.get_by_role("status").inner_text()).group(1))
            assert total >= 2

            # Mexico rates every statement: the first with the mouse, the others with the keyboard.
            _sign_in(mex, base, "mexico")
            mex.get_by_role("link", name=re.compile(r"^Rating of the synthesis of Informal thematic session 1")).click()
            expect(mex.get_by_role("heading", name=f"Statement 1 of {total}")).to_be_visible()
            # what the delegate is asked to agree with is a claim, cut verbatim from a contribution
            claim = mex.locator("#rating .card-statement").inner_text().strip()
            said = [text for _, _, text in {**STATEMENTS, "Germany": GERMANY}.values()]
            assert any(claim in text for text in said) and rejection(claim) is None, claim
            mex.get_by_role("button", name="Agree", exact=True).click()
            for k in range(2, total + 1):
                expect(mex.get_by_role("heading", name=f"Statement {k} of {total}")).to_be_visible()
                assert mex.url == round_url  # swapped in place by htmx: no navigation
                expect(mex.locator("#rating .card-statement")).to_be_focused()
                mex.keyboard.press("a")
            expect(mex.locator("#all-rated")).to_be_visible()
            mex.get_by_label("Your statement").fill(ADDED)
            mex.get_by_role("button", name="Send the statement").click()
            expect(mex.get_by_role("status").first).to_contain_text("once a moderator accepts it")

            # The secretariat accepts the added statement.
            sec.goto(round_url)
            moderation = sec.get_by_role("form", name="Moderate statement 1")
            moderation.get_by_label("Accept").check()
            moderation.get_by_role("button", name="Record the decision").click()
            expect(sec.get_by_role("status").first).to_contain_text("accepted")

            # Kenya rates every statement, the added one first (it has the fewest votes), then changes a vote.
            _sign_in(ken, base, "kenya")
            ken.goto(round_url)
            expect(ken.locator("#rating .card-statement")).to_have_text(ADDED)
            ken.get_by_role("button", name="Disagree", exact=True).click()
            for k in range(2, total + 2):
                expect(ken.get_by_role("heading", name=f"Statement {k} of {total + 1}")).to_be_visible()
                ken.get_by_role("button", name="Agree", exact=True).click()
            expect(ken.locator("#all-rated")).to_be_visible()
            expect(ken.get_by_text(f"Your votes ({total + 1})")).to_be_visible()
            ken.get_by_role("form", name="Change your vote on statement 1").get_by_role("button", name="Pass").click()
            expect(ken.get_by_role("form", name="Change your vote on statement 1")
                   .get_by_role("button", name="Pass")).to_have_attribute("aria-pressed", "true")

            # The live dashboard shows both regions (the secretariat sees even groups of one).
            sec.goto(round_url.rstrip("/") + "/dashboard/")
            expect(sec.locator(".dashboard-status")).to_contain_text(f"{2 * total + 1} votes from 2 participants")
            expect(sec.locator(".group-name", has_text="Americas")).to_be_visible(timeout=30_000)
            expect(sec.locator(".group-name", has_text="Africa")).to_be_visible()
            expect(sec.locator("#known-type")).to_contain_text("Member State")
            pub.goto(round_url.rstrip("/") + "/dashboard/")
            expect(pub.locator("#known-region")).to_contain_text("not shown, so that no one's vote can be read off")
            if os.environ.get("RAPPORTEUR_E2E_SCREENSHOTS"):
                OUT.mkdir(parents=True, exist_ok=True)
                sec.screenshot(path=str(OUT / "ok-round-dashboard.png"), full_page=True)
                ken.screenshot(path=str(OUT / "ok-round-rating.png"), full_page=True)

            # The round closes; its results go into version 2 of the synthesis, which is published.
            sec.goto(round_url)
            sec.get_by_role("button", name="Close the round").click()
            expect(sec.get_by_role("status").first).to_contain_text("closed")
            sec.get_by_role("button", name="Add the results to the synthesis (new version)").click()
            expect(sec.locator("#synthesis-status")).to_contain_text("draft, ready for review", timeout=120_000)
            sec.reload()
            expect(sec.frame_locator("iframe.report-frame").locator("#measured")).to_contain_text("Measured agreement")
            sec.get_by_role("button", name="Publish version 2").click()
            expect(sec.locator("#synthesis-status")).to_have_text("published")

            # An anonymous visitor reads the measured agreement in the published synthesis.
            pub.goto(session_url)
            expect(pub.get_by_text("Version 2, published")).to_be_visible()
            report = pub.frame_locator("iframe.report-frame")
            measured = report.locator("#measured")
            expect(measured).to_contain_text("2 participants rated")
            expect(measured).to_contain_text(ADDED)
            expect(measured).to_contain_text("100% agree")
            expect(report.locator("#key-points")).to_contain_text("Measured agreement")
            if os.environ.get("RAPPORTEUR_E2E_SCREENSHOTS"):
                pub.screenshot(path=str(OUT / "ok-round-published.png"), full_page=True)
        except BaseException:
            OUT.mkdir(parents=True, exist_ok=True)
            for who, page in pages.items():
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(OUT / f"failed-round-{who}.png"), full_page=True)
            shutil.copy(site["log"], OUT / "server-round.log")
            raise
        finally:
            browser.close()
