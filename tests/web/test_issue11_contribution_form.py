"""Issue 11, the delegate's contribution form: uploads checked by content, their encoding named and their
size refused inside the form (item 3); organisations that cannot submit told so before they write, and
refused (item 4); errors announced and tied to their fields (item 11)."""
from __future__ import annotations

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rapporteur.web.contributions import selectors
from rapporteur.web.contributions.models import Contribution
from rapporteur.web.organisations import services as organisation_services

from .axe import assert_accessible
from .factories import PASSWORD, make_docx, make_pdf, make_user

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
HTML_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Statement</title></head><body>"
             b"<h1>Our statement</h1><p>We call for regular pathways.</p>"
             b"<script>fetch('/accounts/password_change/')</script></body></html>\n")
# é ’ – in windows-1252 are the bytes 0xE9 0x92 0x96: not valid UTF-8
CP1252_TEXT = "Déclaration de la société civile – l’accès aux services de santé est un droit pour tous les migrants."


def _form_url(session):
    return reverse("contributions:create", args=[session.pk])


def _post(client, session, organisation, path=None, **fields):
    data = {"organisation": organisation.pk, "title": "", "text": "", "submit": "1", **fields}
    if path is not None:
        with open(path, "rb") as f:
            data["document"] = f
            return client.post(_form_url(session), data)
    return client.post(_form_url(session), data)


def _doc(response):
    return lxml.html.fromstring(response.content)


def _text(node) -> str:
    return " ".join(node.text_content().split())


def _field_error(response, name) -> str:
    found = _doc(response).xpath(f'//*[@id="id_{name}_error"]')
    return _text(found[0]) if found else ""


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def pending(people):
    """Migrant Voices Network has asked for special accreditation: it may submit (issue 11, item 4)."""
    organisation_services.request_accreditation(people.own, "A network of 40 migrant associations.")
    people.own.refresh_from_db()
    return people


# ------------------------------------------------------------------------------ item 3: uploads
@pytest.mark.parametrize("name,data,said", [
    ("x.pdf", HTML_PAGE, "x.pdf is an HTML document, not a PDF"),
    ("statement.txt", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><text>Hi</text></svg>',
     "statement.txt is an SVG image"),
    ("notes.docx", b'<?xml version="1.0"?>\n<statement>We call for regular pathways.</statement>',
     "notes.docx is an XML document"),
    ("page.txt", "\ufeff<html><body>Hello</body></html>".encode("utf-16"), "page.txt is an HTML document"),
])
def test_markup_is_refused_under_any_name_with_a_message_naming_the_file(client, pending, session, tmp_path,
                                                                          name, data, said):
    path = tmp_path / name
    path.write_bytes(data)
    client.force_login(pending.delegate)
    response = _post(client, session, pending.own, path, title="Our title", text="Our typed statement.")
    assert response.status_code == 200
    assert said in _field_error(response, "document")
    assert not Contribution.objects.exists()
    form = _doc(response)
    assert form.xpath('//input[@name="title"]/@value') == ["Our title"]
    assert _text(form.xpath('//textarea[@name="text"]')[0]) == "Our typed statement."


def test_a_windows_1252_text_is_read_and_its_encoding_is_shown(client, pending, session, tmp_path):
    path = tmp_path / "statement.txt"
    path.write_bytes(CP1252_TEXT.encode("cp1252"))
    assert b"\xe9" in path.read_bytes() and b"\x92" in path.read_bytes() and b"\x96" in path.read_bytes()
    client.force_login(pending.delegate)
    response = _post(client, session, pending.own, path)
    assert response.status_code == 302, _field_error(response, "document")
    c = Contribution.objects.get()
    assert (c.document_kind, c.document_text) == ("txt", CP1252_TEXT)
    assert c.document.read() == CP1252_TEXT.encode("cp1252")  # the document is kept as it was sent
    page = client.get(response["Location"])
    assert "statement.txt was read as windows-1252 text." in _messages(page)


def test_a_utf8_text_says_so_too(client, pending, session, tmp_path):
    path = tmp_path / "déclaration.txt"
    path.write_text("L’accès aux droits – pour tous.", encoding="utf-8")
    client.force_login(pending.delegate)
    response = _post(client, session, pending.own, path)
    assert response.status_code == 302
    assert "déclaration.txt was read as UTF-8 text." in _messages(client.get(response["Location"]))
    assert Contribution.objects.get().document_text == "L’accès aux droits – pour tous."


def test_real_pdf_and_docx_documents_still_pass(client, pending, session, tmp_path):
    (tmp_path / "statement.pdf").write_bytes(make_pdf("We call for safe and regular pathways for migrant workers."))
    (tmp_path / "statement.docx").write_bytes(make_docx(["Skills recognition matters.", "Decent work for all."]))
    client.force_login(pending.delegate)
    for name in ("statement.pdf", "statement.docx"):
        response = _post(client, session, pending.own, tmp_path / name)
        assert response.status_code == 302, _field_error(response, "document")
    by_kind = {c.document_kind: c.document_text for c in Contribution.objects.all()}
    assert "regular pathways for migrant workers" in by_kind["pdf"]
    assert "Decent work for all." in by_kind["docx"]


def test_the_form_states_the_size_limit(client, pending, session, settings):
    client.force_login(pending.delegate)
    page = _doc(client.get(_form_url(session)))
    help_text = _text(page.xpath('//*[@id="id_document_helptext"]')[0])
    assert help_text.startswith("Up to 512 KB.")
    assert page.xpath('//input[@name="document"]/@aria-describedby') == ["id_document_helptext"]


@pytest.mark.parametrize("size", ["just over", "three times"])
def test_an_oversize_document_is_refused_in_the_form_with_the_typed_text_kept(client, pending, session, settings,
                                                                              tmp_path, size):
    cap = settings.RAPPORTEUR_MAX_UPLOAD_BYTES
    n = cap + 1 if size == "just over" else 3 * cap
    path = tmp_path / "long-statement.txt"
    path.write_bytes(b"We call for regular pathways for labour migration.\n" * (n // 51) + b"x" * (n % 51))
    assert path.stat().st_size == n
    client.force_login(pending.delegate)
    response = _post(client, session, pending.own, path, title="Firewalls", text="Our typed statement, not lost.")
    assert response.status_code == 200  # the form again, in the site's layout: not a bare 413
    assert response["Content-Type"].startswith("text/html")
    expected = "513 KB" if size == "just over" else "1.5 MB"
    assert _field_error(response, "document").startswith(
        f"long-statement.txt is {expected}: larger than the limit of 512 KB for a document.")
    form = _doc(response)
    assert form.xpath('//header[@class="site-header"]')
    assert form.xpath('//input[@name="title"]/@value') == ["Firewalls"]
    assert _text(form.xpath('//textarea[@name="text"]')[0]) == "Our typed statement, not lost."
    assert not Contribution.objects.exists()


# ------------------------------------------------------------------------------ item 4: accreditation
def test_an_organisation_that_never_requested_accreditation_is_told_before_writing_and_cannot_submit(
        client, people, session):
    assert people.own.accreditation == "not_requested"
    client.force_login(people.delegate)
    page = _doc(client.get(_form_url(session)))
    notice = _text(page.xpath('//*[contains(@class, "accreditation-notice")]')[0])
    assert notice.startswith("Migrant Voices Network is not accredited to this process: "
                             "request special accreditation here.")
    link = reverse("organisations:request-accreditation", args=[people.own.pk])
    assert page.xpath(f'//a[@href="{link}"]/text()') == ["request special accreditation here"]
    assert [b.text for b in page.xpath("//main//form//button[@type='submit']")] == ["Save as draft"]

    response = _post(client, session, people.own, text="We call for regular pathways.")  # Submit, posted anyway
    assert response.status_code == 200
    assert "Migrant Voices Network is not accredited to this process (not requested), so its contributions " \
           "cannot be submitted: request special accreditation first." in _text(_doc(response))
    assert not Contribution.objects.exists()
    assert _text(_doc(response).xpath('//textarea[@name="text"]')[0]) == "We call for regular pathways."

    response = _post(client, session, people.own, text="We call for regular pathways.", submit="", save_draft="1")
    assert response.status_code == 302
    draft = Contribution.objects.get()
    assert draft.state == "draft"
    response = client.post(reverse("contributions:edit", args=[draft.pk]),
                           {"title": "", "text": "We call for regular pathways.", "submit": "1"})
    assert response.status_code == 200 and "cannot be submitted" in _text(_doc(response))
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_refused_organisation_is_told_so_and_that_it_may_request_again(client, people, session):
    organisation_services.request_accreditation(people.own, "We are migrants.")
    organisation_services.decide_accreditation(people.own, approve=False, reason="No link to migration shown.",
                                               by=people.secretariat)
    client.force_login(people.delegate)
    page = _doc(client.get(_form_url(session)))
    notice = _text(page.xpath('//*[contains(@class, "accreditation-notice")]')[0])
    assert notice.startswith("Migrant Voices Network’s request for special accreditation was rejected: "
                             "“No link to migration shown.”. Its contributions cannot be submitted. You may "
                             "request accreditation again, saying what has changed, or write to the secretariat")
    assert page.xpath('//a[text()="request accreditation again"]/@href') == [
        reverse("organisations:request-accreditation", args=[people.own.pk])]
    response = _post(client, session, people.own, text="We call for regular pathways.")
    assert response.status_code == 200 and "request for special accreditation was rejected" in _text(_doc(response))
    assert not Contribution.objects.exists()
    assert people.delegate.has_perm("organisations.request_accreditation", people.own)
    assert not people.delegate.has_perm("organisations.submit_contributions", people.own)


def test_pending_accredited_and_state_organisations_submit(client, pending, session):
    mexico = organisation_services.create_organisation("Mexico", "Member State", "MEX")
    assert mexico.accreditation == "by_right"  # States take part by right: no request needed
    amb = make_user("mexico")
    organisation_services.add_delegate(mexico, amb)
    for user, organisation in ((pending.delegate, pending.own), (pending.other_delegate, pending.other), (amb, mexico)):
        client.force_login(user)
        page = _doc(client.get(_form_url(session)))
        assert not page.xpath('//*[contains(@class, "accreditation-notice")]'), organisation.name
        response = _post(client, session, organisation, text=f"{organisation.name} calls for regular pathways.")
        assert response.status_code == 302, organisation.name
        assert "Your contribution is submitted, awaiting moderation." in _messages(client.get(response["Location"]))
        assert user.has_perm("organisations.submit_contributions", organisation)
    assert Contribution.objects.filter(state="submitted").count() == 3


def test_the_queue_holds_only_what_moderation_can_decide(client, people, session):
    def submitted(organisation, text):
        return Contribution.objects.create(session=session, organisation=organisation, text=text, state="submitted",
                                           submitted_at=timezone.now())

    never = submitted(people.own, "From an organisation that never asked.")  # e.g. sent before this check
    accredited = submitted(people.other, "From an accredited organisation.")
    assert [c.pk for c in selectors.moderation_queue()] == [accredited.pk]
    assert selectors.moderation_count() == 1
    client.force_login(people.moderator)
    keys = _doc(client.get(reverse("contributions:moderation"))).xpath('//input[@name="items"]/@value')
    assert keys == [f"contribution-{accredited.pk}"]
    # once the organisation asks, its item comes back into the queue: it can be published once accredited
    organisation_services.request_accreditation(people.own, "A network of 40 migrant associations.")
    assert [c.pk for c in selectors.moderation_queue()] == [never.pk, accredited.pk]


# ------------------------------------------------------------------------------ item 11: errors
def test_errors_are_summarised_first_and_tied_to_their_fields(client, pending, session, tmp_path):
    client.force_login(pending.delegate)
    response = _post(client, session, pending.own, text="   ")
    assert response.status_code == 200
    page = _doc(response)
    summary = page.xpath('//main//*[@role="alert"]')[0]
    assert summary.get("tabindex") == "-1" and summary.get("id") == "error-summary"
    assert page.xpath("//main/h1/following-sibling::*[1]")[0] is summary  # first after the heading
    assert summary.xpath(".//a/@href") == ["#id_text"]
    assert "Write the statement or upload a document (or both)." in _text(summary)
    textarea = page.xpath('//textarea[@name="text"]')[0]
    assert textarea.get("aria-invalid") == "true"
    assert "id_text_error" in textarea.get("aria-describedby").split()
    assert _field_error(response, "text") == "Write the statement or upload a document (or both)."
    assert page.xpath("//title")[0].text.startswith("Error: ")

    path = tmp_path / "x.pdf"
    path.write_bytes(HTML_PAGE)
    page = _doc(_post(client, session, pending.own, path, text="Typed."))
    document = page.xpath('//input[@name="document"]')[0]
    assert document.get("aria-invalid") == "true"
    assert document.get("aria-describedby").split() == ["id_document_helptext", "id_document_error"]
    assert page.xpath('//*[@role="alert"]//a/@href') == ["#id_document"]


@pytest.mark.browser
def test_in_chromium_the_error_summary_takes_the_focus(server, pending, session, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    cities = organisation_services.create_organisation("Cities Alliance", "civil society", "BEL")
    organisation_services.add_delegate(cities, make_user("cities"))
    oversize = tmp_path / "long-statement.txt"
    oversize.write_bytes(b"a" * (600 * 1024))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            page = browser.new_page()
            page.goto(server + "/accounts/login/")
            page.get_by_label("Username").fill(pending.delegate.username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            page.goto(server + _form_url(session))
            expect(page.get_by_text("Up to 512 KB.")).to_be_visible()
            page.get_by_label("Title (optional)").fill("Firewalls")
            page.get_by_label("Document (PDF, Word .docx or plain text)").set_input_files(str(oversize))
            page.get_by_role("button", name="Submit", exact=True).click()
            page.wait_for_load_state()
            alert = page.get_by_role("alert")
            expect(alert).to_contain_text("long-statement.txt is 600 KB: larger than the limit of 512 KB")
            assert page.evaluate("() => document.activeElement.id") == "error-summary"
            field = page.locator("#id_document")
            assert field.get_attribute("aria-invalid") == "true"
            assert "id_document_error" in field.get_attribute("aria-describedby").split()
            expect(page.locator("#id_document_error")).to_contain_text("larger than the limit of 512 KB")
            expect(page.get_by_label("Title (optional)")).to_have_value("Firewalls")
            assert_accessible(page, "the contribution form with an error")
            # the summary's link takes the user to the field
            alert.get_by_role("link").click()
            assert page.evaluate("() => document.activeElement.id") == "id_document"
            # a delegate whose organisation never asked for accreditation reads what to do, first
            page.context.clear_cookies()
            page.goto(server + "/accounts/login/")
            page.get_by_label("Username").fill("cities")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            page.goto(server + _form_url(session))
            expect(page.locator(".accreditation-notice")).to_contain_text(
                "Cities Alliance is not accredited to this process: request special accreditation here.")
            expect(page.get_by_role("button", name="Submit", exact=True)).to_have_count(0)
            assert page.evaluate("() => document.activeElement.id") != "error-summary"  # no errors, no summary
            assert_accessible(page, "the contribution form of an organisation that is not accredited")
        finally:
            browser.close()
    assert not Contribution.objects.exists()
