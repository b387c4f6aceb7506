"""Delegates submit and edit; moderators moderate; the secretariat imports. Through the real views."""
from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rapporteur.web.contributions.models import Contribution
from rapporteur.web.organisations import services as organisation_services
from rapporteur.web.organisations.models import Organisation

from .factories import make_docx, make_pdf


def _requests_accreditation(organisation):
    """Only an organisation accredited, or whose request is pending, may submit (issue 11, item 4)."""
    organisation_services.request_accreditation(organisation, "A network of 40 migrant associations.")


def _submit(client, session, organisation, **fields):
    data = {"organisation": organisation.pk, "title": "", "text": "", "submit": "1", **fields}
    return client.post(reverse("contributions:create", args=[session.pk]), data)


def test_delegate_submits_a_statement_with_a_pdf(client, people, session):
    client.force_login(people.delegate)
    _requests_accreditation(people.own)
    pdf = SimpleUploadedFile("statement.pdf", make_pdf("We call for safe and regular pathways for migrant workers."),
                             content_type="application/pdf")
    response = _submit(client, session, people.own, title="Our statement", text="Migrants' rights first.", document=pdf)
    assert response.status_code == 302, response.content.decode()[:2000]
    c = Contribution.objects.get()
    assert (c.state, c.organisation, c.submitted_by, c.document_kind) == ("submitted", people.own, people.delegate, "pdf")
    assert "regular pathways for migrant workers" in c.document_text
    assert c.full_text.startswith("Migrants' rights first.")
    # the delegate sees it on their dashboard, and may download the document
    page = client.get(reverse("dashboards:delegate")).content.decode()
    assert "Our statement" in page
    download = client.get(reverse("contributions:document", args=[c.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")


def test_docx_and_text_documents_are_read(client, people, session):
    client.force_login(people.delegate)
    _requests_accreditation(people.own)
    docx = SimpleUploadedFile("s.docx", make_docx(["Skills recognition matters.", "Decent work for all."]))
    assert _submit(client, session, people.own, document=docx).status_code == 302
    txt = SimpleUploadedFile("s.txt", "Remittances must be cheaper.\n".encode())
    assert _submit(client, session, people.own, document=txt).status_code == 302
    kinds = sorted(Contribution.objects.values_list("document_kind", flat=True))
    assert kinds == ["docx", "txt"]
    assert "Decent work for all." in Contribution.objects.get(document_kind="docx").document_text


@pytest.mark.parametrize("name,data,reason", [
    ("statement.pdf", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "not a PDF"),  # an image named .pdf
    ("statement.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500, "not a PDF"),  # a program named .pdf
    ("statement.docx", b"PK\x03\x04not really a zip", "not a PDF"),
    ("statement.pdf", b"%PDF-1.4\n garbage that is no PDF", "could not be read"),
    ("empty.txt", b"   ", "empty"),
])
def test_uploads_are_checked_by_content_not_by_name(client, people, session, name, data, reason):
    client.force_login(people.delegate)
    response = _submit(client, session, people.own, text="Some text.", document=SimpleUploadedFile(name, data))
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_pdf_named_txt_is_taken_for_what_it_is(client, people, session):
    client.force_login(people.delegate)
    _requests_accreditation(people.own)
    pdf = SimpleUploadedFile("looks-like.txt", make_pdf("Border management must respect rights."))
    assert _submit(client, session, people.own, document=pdf).status_code == 302
    assert Contribution.objects.get().document_kind == "pdf"


def test_uploads_are_bounded_in_size(client, people, session, settings):
    client.force_login(people.delegate)
    big = SimpleUploadedFile("big.txt", b"a" * (settings.RAPPORTEUR_MAX_UPLOAD_BYTES + 10))
    response = _submit(client, session, people.own, document=big)
    assert response.status_code == 200 and "larger than" in response.content.decode()
    # a request far over the bound is refused before its body is read
    response = client.post(
        reverse("contributions:create", args=[session.pk]), data=b"x" * 10,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.RAPPORTEUR_MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413
    assert not Contribution.objects.exists()


def test_statement_or_document_is_required(client, people, session):
    client.force_login(people.delegate)
    response = _submit(client, session, people.own, text="   ")
    assert response.status_code == 200 and "Write the statement or upload a document" in response.content.decode()


def test_a_delegate_acts_for_their_own_organisation_only(client, people, session):
    client.force_login(people.delegate)
    response = _submit(client, session, people.other, text="Posing as someone else.")
    assert response.status_code == 200  # the other organisation is not a choice
    assert "Select a valid choice" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_delegate_cannot_see_or_touch_another_organisations_drafts(client, people, session):
    draft = Contribution.objects.create(session=session, organisation=people.other, submitted_by=people.other_delegate,
                                        text="Our private draft.", state="draft")
    pending = Contribution.objects.create(session=session, organisation=people.other, text="Pending.", state="submitted",
                                          document="contributions/x.pdf", document_kind="pdf")
    client.force_login(people.delegate)
    for c in (draft, pending):
        assert client.get(reverse("contributions:detail", args=[c.pk])).status_code == 404
        assert client.get(reverse("contributions:edit", args=[c.pk])).status_code == 404
        assert client.post(reverse("contributions:edit", args=[c.pk]), {"text": "overwritten"}).status_code == 404
    assert client.get(reverse("contributions:document", args=[pending.pk])).status_code == 404
    assert "Our private draft." not in client.get(reverse("dashboards:delegate")).content.decode()
    assert "Our private draft." not in client.get(reverse("processes:session", args=[session.pk])).content.decode()
    draft.refresh_from_db()
    assert draft.text == "Our private draft."


def test_delegate_edits_until_the_deadline(client, people, session):
    client.force_login(people.delegate)
    _requests_accreditation(people.own)
    _submit(client, session, people.own, text="First version.", save_draft="1")
    c = Contribution.objects.get()
    assert c.state == "draft"
    response = client.post(reverse("contributions:edit", args=[c.pk]), {"title": "", "text": "Second version.", "submit": "1"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.text, c.state) == ("Second version.", "submitted")
    session.contributions_deadline = timezone.now() - timezone.timedelta(seconds=1)
    session.save()
    response = client.post(reverse("contributions:edit", args=[c.pk]), {"title": "", "text": "Too late."})
    assert response.status_code == 403
    c.refresh_from_db()
    assert c.text == "Second version."
    assert client.get(reverse("contributions:create", args=[session.pk])).status_code == 403


def test_moderation_publishes_only_accredited_organisations(client, people, session):
    _requests_accreditation(people.own)  # pending: in the queue, but not publishable yet
    c = Contribution.objects.create(session=session, organisation=people.own, text="Statement.", state="submitted",
                                    submitted_at=timezone.now())
    client.force_login(people.moderator)
    assert "Statement." in client.get(reverse("contributions:moderation")).content.decode()
    client.post(reverse("contributions:moderate", args=[c.pk]), {"decision": "approve", "reason": ""})
    c.refresh_from_db()
    assert c.state == "submitted"  # Migrant Voices Network's accreditation is only requested
    Organisation.objects.filter(pk=people.own.pk).update(accreditation="approved")
    client.post(reverse("contributions:moderate", args=[c.pk]), {"decision": "approve", "reason": ""})
    c.refresh_from_db()
    assert (c.state, c.moderated_by) == ("published", people.moderator)
    client.logout()
    page = client.get(reverse("processes:session", args=[session.pk])).content.decode()
    assert "Migrant Voices Network" in page


def test_rejection_needs_a_reason(client, people, session):
    c = Contribution.objects.create(session=session, organisation=people.other, text="Off topic.", state="submitted")
    client.force_login(people.moderator)
    client.post(reverse("contributions:moderate", args=[c.pk]), {"decision": "reject", "reason": ""})
    c.refresh_from_db()
    assert c.state == "submitted"
    client.post(reverse("contributions:moderate", args=[c.pk]), {"decision": "reject", "reason": "Not about migration."})
    c.refresh_from_db()
    assert (c.state, c.moderation_reason) == ("rejected", "Not about migration.")


def test_accreditation_request_and_decision(client, people):
    client.force_login(people.delegate)
    response = client.post(reverse("organisations:request-accreditation", args=[people.own.pk]),
                           {"justification": "We are a network of 40 migrant associations."})
    assert response.status_code == 302
    people.own.refresh_from_db()
    assert people.own.accreditation == "requested"
    client.force_login(people.secretariat)
    assert "network of 40 migrant associations" in client.get(reverse("dashboards:secretariat")).content.decode()
    client.post(reverse("organisations:decide-accreditation", args=[people.own.pk]), {"decision": "reject", "reason": ""})
    people.own.refresh_from_db()
    assert people.own.accreditation == "requested"  # a rejection needs a reason
    client.post(reverse("organisations:decide-accreditation", args=[people.own.pk]), {"decision": "approve", "reason": "ok"})
    people.own.refresh_from_db()
    assert (people.own.accreditation, people.own.is_accredited, people.own.accreditation_decided_by) == (
        "approved", True, people.secretariat)


def _csv_bytes(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def test_secretariat_imports_a_statements_csv(client, people, session):
    data = _csv_bytes([
        {"stakeholder": "Mexico", "type": "Member State", "country": "MEX", "text": "We support regular pathways."},
        {"stakeholder": "Caritas Internationalis", "type": "civil society", "country": "", "text": "End child detention."},
        {"stakeholder": "Nobody", "type": "Member State", "country": "MEX", "text": ""},
    ])
    client.force_login(people.secretariat)
    response = client.post(reverse("contributions:import", args=[session.pk]),
                           {"statements": SimpleUploadedFile("statements.csv", data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Imported 2 contributions" in page
    assert Contribution.objects.filter(session=session, state="published").count() == 2
    caritas = Organisation.objects.get(name="Caritas Internationalis")
    assert caritas.is_accredited and caritas.type == "civil society"
    assert Organisation.objects.get(name="Mexico").accreditation == "by_right"


def test_secretariat_imports_a_zipped_folder_with_metadata(client, people, session):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("statements/kenya.txt", "Kenya calls for cooperation on the drivers of migration.")
        archive.writestr("statements/ilo.pdf", make_pdf("Fair recruitment protects migrant workers."))
        archive.writestr("../escape.txt", "must not be written outside")
    meta = _csv_bytes([
        {"file": "kenya.txt", "stakeholder": "Kenya", "type": "Member State", "country": "KEN"},
        {"file": "ilo.pdf", "stakeholder": "ILO", "type": "UN entity/IO", "country": ""},
    ])
    client.force_login(people.secretariat)
    response = client.post(reverse("contributions:import", args=[session.pk]), {
        "statements": SimpleUploadedFile("folder.zip", buffer.getvalue()),
        "meta": SimpleUploadedFile("meta.csv", meta),
    })
    assert response.status_code == 200, response.content.decode()[:3000]
    names = set(Contribution.objects.filter(session=session).values_list("organisation__name", flat=True))
    assert names == {"Kenya", "ILO"}, response.content.decode()[-3000:]
    assert "Fair recruitment" in Contribution.objects.get(organisation__name="ILO").text


def test_import_rejects_what_it_cannot_read(client, people, session):
    client.force_login(people.secretariat)
    response = client.post(reverse("contributions:import", args=[session.pk]),
                           {"statements": SimpleUploadedFile("x.csv", b"\x00\x01\x02binary")})
    assert response.status_code == 200 and "statements CSV, or a ZIP" in response.content.decode()
    assert not Contribution.objects.exists()


def test_import_command_reads_like_the_cli(people, session, tmp_path):
    from django.core.management import call_command

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "Mexico.txt").write_text("Mexico supports the compact.", encoding="utf-8")
    call_command("import_contributions", str(session.pk), str(folder))
    assert Contribution.objects.get(session=session).organisation.name == "Mexico"
