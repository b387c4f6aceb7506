"""The rapporteur's desk on the platform (issue 33): a draft synthesis corrected by a rapporteur, every
edit applied by the engine and logged, stale edits refused, publication of the signed version."""
from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from rapporteur.web.audit.models import AuditEntry
from rapporteur.web.processes.models import Session
from rapporteur.web.syntheses.models import Synthesis

from .factories import PASSWORD, STATEMENTS, make_user, publish_statements
from .test_stocktake_web import SECOND
from .worker import run_worker_once, synthesise_now

FIXTURE = Path(__file__).resolve().parents[2] / "examples" / "gcm-session"
HX = {"HTTP_HX_REQUEST": "true"}


def _edit(client, synthesis, **form):
    return client.post(reverse("syntheses:desk-edit", args=[synthesis.pk]), form, **HX)


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_a_rapporteur_corrects_a_draft_and_the_secretariat_publishes_the_signed_version(client, people, session):
    publish_statements(session, {**STATEMENTS, **SECOND})
    synthesis = synthesise_now(session, people.secretariat)
    assert synthesis.status == "draft", synthesis.error
    rapporteur = make_user("rapporteur", group="rapporteur")
    desk = reverse("syntheses:desk", args=[synthesis.pk])
    assert client.get(desk).status_code in (302, 403, 404)  # the public has no desk
    client.force_login(people.moderator)
    assert client.get(desk).status_code in (403, 404)  # nor a moderator who is not a rapporteur
    client.force_login(rapporteur)
    page = client.get(desk)
    assert page.status_code == 200 and "The rapporteur's desk" in page.content.decode()

    kps = synthesis.data["key_points"]
    assert len(kps) >= 2, [k["label"] for k in kps]
    last, first = kps[-1], kps[0]
    answer = _edit(client, synthesis, do="drop", key_point=last["id"], seen=0)
    assert answer.status_code == 200 and "Done: drop" in answer.content.decode()
    synthesis.refresh_from_db()
    assert last["id"] not in {k["id"] for k in synthesis.data["key_points"]}
    assert set(last["point_ids"]) <= set(synthesis.data["unclustered_point_ids"])
    assert synthesis.machine["key_points"][-1]["id"] == last["id"]  # the machine's draft is kept
    entry = AuditEntry.objects.get(act="edit_synthesis")
    assert entry.actor == rapporteur and entry.after["edit"]["do"] == "drop" and entry.after["revision"] == 1
    assert any(line.startswith(f"- {last['id']}") for line in entry.after["changes"])

    # a second person, still on revision 0: refused, with the current state; nothing is lost
    stale = _edit(client, synthesis, do="relabel", key_point=first["id"], text="Migrants' rights come first.", seen=0)
    assert stale.status_code == 409 and "revision 1" in stale.content.decode()
    synthesis.refresh_from_db()
    assert len(synthesis.data["revision"]["edits"]) == 1
    relabel = _edit(client, synthesis, do="relabel", key_point=first["id"], text="Migrants' rights come first.", seen=1)
    assert relabel.status_code == 200
    bad = _edit(client, synthesis, do="merge", key_point=first["id"], other=first["id"], seen=2)
    assert bad.status_code == 400 and "cannot be merged with itself" in bad.content.decode()
    assert _edit(client, synthesis, do="undo", seen=2).status_code == 200
    synthesis.refresh_from_db()
    assert len(synthesis.data["revision"]["edits"]) == 1 and first["label"] in {k["label"] for k in synthesis.data["key_points"]}
    assert _edit(client, synthesis, do="relabel", key_point=first["id"], text="Migrants' rights come first.", seen=1).status_code == 200

    # the rapporteur does not publish; the secretariat does, and the public sees what changed
    assert client.post(reverse("syntheses:publish", args=[synthesis.pk])).status_code in (302, 403, 404)
    synthesis.refresh_from_db()
    assert synthesis.status == "draft"
    client.force_login(people.secretariat)
    client.post(reverse("syntheses:publish", args=[synthesis.pk]))
    synthesis.refresh_from_db()
    assert synthesis.status == "published"
    frozen = _edit(client, synthesis, do="drop", key_point=first["id"], seen=2)
    assert frozen.status_code in (400, 403, 404)
    # a published version is continued as a new draft version, its edits kept, the engine not run again
    client.post(reverse("syntheses:desk-new-version", args=[synthesis.pk]))
    run_worker_once()
    again = Synthesis.objects.get(session=session, version=2)
    assert again.status == "draft" and again.based_on == synthesis and again.machine == synthesis.machine
    assert len(again.data["revision"]["edits"]) == 2
    assert _edit(client, again, do="drop", key_point=first["id"], seen=2).status_code == 200
    client.logout()
    public = client.get(reverse("syntheses:detail", args=[synthesis.pk])).content.decode()
    assert "Revised by the rapporteur (rapporteur): 2 edits" in public
    report = client.get(reverse("syntheses:report", args=[synthesis.pk])).content.decode()
    assert "Revised by the rapporteur" in report and "edited by the rapporteur" in report
    assert "rights come first." in report and "draft</summary>" in report
    assert "*(edited by the rapporteur)*" in synthesis.report_markdown
    assert client.get(reverse("syntheses:json", args=[synthesis.pk])).json()["revision"]["by"] == "rapporteur"
    rows = client.get(reverse("exports:synthesis-key-points", args=[synthesis.pk, "json"])).json()["rows"]
    row = next(r for r in rows if r["key_point"] == first["id"])
    assert row["origin"] == "edited" and row["label"] == "Migrants' rights come first." and row["machine_label"] == first["label"]


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.engine
def test_in_a_browser_a_rapporteur_corrects_the_session_fixture_by_keyboard(server, people, gcm, gcm_session,
                                                                            monkeypatch):
    """examples/gcm-session imported into thematic session 3, its synthesis the engine's (the run the engine's
    tests share: the worker's path to a draft is walked in test_browser and test_syntheses); the rapporteur
    relabels, merges, moves, drops and promotes by keyboard alone; the secretariat publishes; the public
    page marks what the rapporteur changed."""
    from django.utils import timezone
    from playwright.sync_api import expect, sync_playwright

    from rapporteur.report.html import render_html_dict
    from rapporteur.report.markdown import render_markdown_dict
    from rapporteur.web.contributions.services import import_contributions

    from .axe import assert_accessible
    from .test_accessibility import ARGS
    from .test_browser import CHROMIUM

    third = Session.objects.get(phase__process=gcm, kind="thematic", number=3)
    third.status = Session.Status.OPEN
    third.save()
    imported = import_contributions(third, FIXTURE / "contributions", FIXTURE / "meta.csv", by=people.secretariat)
    data = gcm_session.to_dict()
    synthesis = Synthesis.objects.create(
        session=third, version=1, status=Synthesis.Status.DRAFT, data=data, report_html=render_html_dict(data),
        report_markdown=render_markdown_dict(data), contribution_count=len(imported.created), stage="done",
        finished_at=timezone.now())
    assert len(imported.created) == data["counts"]["contributions"] == 21
    rapporteur = make_user("rapporteur", group="rapporteur")
    kps = synthesis.data["key_points"]
    fees = next(k for k in kps if "Recruitment fees" in k["label"])
    other = next(k for k in kps if k["id"] != fees["id"] and len(k["point_ids"]) >= 2)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    def submit(page, field):
        """Focus a field and submit its form with the keyboard: Enter in a text field, or Tab to the button."""
        field.focus()
        if field.evaluate("e => e.tagName") == "SELECT":
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement && document.activeElement.id === 'desk-status'")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context().new_page()
            page.goto(server + "/accounts/login/")
            page.get_by_label("Username").fill(rapporteur.username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_label("Password").press("Enter")
            page.wait_for_load_state()
            page.goto(server + reverse("syntheses:desk", args=[synthesis.pk]))
            assert_accessible(page, "the desk")
            status = page.locator("#desk-status")
            # relabel with the rapporteur's words
            page.locator(f"#text-{fees['id']}").fill("Workers must never pay recruitment fees.")
            submit(page, page.locator(f"#text-{fees['id']}"))
            expect(status).to_contain_text("Done: relabel")
            expect(page.locator(f"#desk-{fees['id']} .kp-label")).to_have_text("Workers must never pay recruitment fees.")
            # merge a second key point into it
            page.locator(f"#merge-{fees['id']}").select_option(other["id"])
            submit(page, page.locator(f"#merge-{fees['id']}"))
            expect(status).to_contain_text("Done: merge")
            expect(page.locator(f"#desk-{other['id']}")).to_have_count(0)
            # move one of its quotes out of every key point
            moved = next(pid for pid in other["point_ids"] if pid != other["label_point"])
            if not page.locator(f"#desk-{fees['id']} details").evaluate("d => d.open"):
                page.locator(f"#desk-{fees['id']} details summary").focus()
                page.keyboard.press("Enter")
            page.locator(f"[id='move-{moved}']").select_option("")
            submit(page, page.locator(f"[id='move-{moved}']"))
            expect(status).to_contain_text("Done: move")
            # promote a point in no key point; drop the smallest key point
            pool = page.locator(".desk-pool button", has_text="Promote to a key point").first
            pool.focus()
            page.keyboard.press("Enter")
            page.wait_for_function("document.activeElement && document.activeElement.id === 'desk-status'")
            expect(status).to_contain_text("Done: promote")
            smallest = page.locator(".desk-kp").last.get_attribute("id").removeprefix("desk-")
            if smallest == fees["id"]:
                smallest = page.locator(".desk-kp").nth(-2).get_attribute("id").removeprefix("desk-")
            page.get_by_role("button", name=f"Drop: not a claim — {smallest}").focus()
            page.keyboard.press("Enter")
            page.wait_for_function("document.activeElement && document.activeElement.id === 'desk-status'")
            expect(status).to_contain_text("Done: drop")
            assert_accessible(page, "the desk after five edits")
            page.context.close()

            synthesis.refresh_from_db()
            assert [e["do"] for e in synthesis.data["revision"]["edits"]] == ["relabel", "merge", "move", "promote", "drop"]
            assert AuditEntry.objects.filter(act="edit_synthesis").count() == 5
            secretariat = browser.new_context().new_page()
            secretariat.goto(server + "/accounts/login/")
            secretariat.get_by_label("Username").fill(people.secretariat.username)
            secretariat.get_by_label("Password").fill(PASSWORD)
            secretariat.get_by_label("Password").press("Enter")
            secretariat.wait_for_load_state()
            secretariat.goto(server + reverse("syntheses:detail", args=[synthesis.pk]))
            secretariat.get_by_role("button", name=f"Publish version {synthesis.version}").click()
            secretariat.wait_for_load_state()
            secretariat.context.close()

            public = browser.new_context().new_page()
            public.goto(server + reverse("syntheses:detail", args=[synthesis.pk]))
            expect(public.locator("#revised")).to_contain_text("5 edits to the machine's draft")
            report = public.frame_locator("iframe.report-frame")
            expect(report.locator("#revision")).to_contain_text("Revised by the rapporteur")
            expect(report.locator(".tag.changed").first).to_be_visible()
            expect(report.locator("#key-points")).to_contain_text("Workers must never pay recruitment fees.")
        finally:
            browser.close()


@pytest.mark.engine
@pytest.mark.django_db(transaction=True)
def test_a_new_run_of_the_session_replays_the_edits_of_the_version_before(people, session):
    """More contributions arrive after the rapporteur edited version 1: version 2 is the engine's new draft
    with version 1's edits replayed where they still apply, the others listed; the new draft is kept."""
    from rapporteur.web.syntheses import desk

    publish_statements(session, {**STATEMENTS, **SECOND})
    first = synthesise_now(session, people.secretariat)
    rapporteur = make_user("rapporteur", group="rapporteur")
    kps = first.data["key_points"]
    desk.apply_edit(first, {"do": "note", "item": kps[0]["id"], "text": "Kept across runs."}, seen=0, by=rapporteur)
    desk.apply_edit(first, {"do": "relabel", "key_point": kps[0]["id"], "text": "Protect every migrant's rights."},
                    seen=1, by=rapporteur)
    publish_statements(session, {"Mexico": ("Member State", "MEX", "Mexico calls for regular pathways for all "
                                            "migrants. The human rights of all migrants must be protected.")})
    second = synthesise_now(session, people.secretariat)
    assert second.status == "draft" and second.version == 2, second.error
    revision = second.data["revision"]
    assert revision["replayed_from"] == 1 and revision["based_on_version"] == 2
    assert len(revision["edits"]) + len(revision["not_replayed"]) == 2
    assert second.machine is not None and "revision" not in second.machine
    assert second.machine["counts"]["contributions"] == second.data["counts"]["contributions"] == 9
    if not revision["not_replayed"]:
        assert "Protect every migrant's rights." in {k["label"] for k in second.data["key_points"]}
    assert "were replayed on this run" in second.report_markdown
