"""Draft versions on the platform (issue 13, item 3): the secretariat uploads a version, the worker reads
its coverage against the latest published syntheses, the public sees it once published, and two
versions compare by the convergences a revision gained or lost."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rapporteur.web.drafts.models import DraftVersion

from .factories import make_synthesis_with_key_points
from .worker import run_worker_once

ZERO = ("We, the Member States, meeting in Marrakech, adopt this compact.\n\n"
        "1. The human rights of all migrants must be protected, whatever their migration status.\n\n"
        "2. States will make remittances cheaper and safer to send to families at home.\n\n"
        "3. The cafeteria on the third floor will close at four o'clock on Fridays for cleaning of the ovens.\n")
REVISED = ("We, the Member States, meeting in Marrakech, adopt this compact.\n\n"
           "1. States will make remittances cheaper and safer to send to families at home.\n\n"
           "2. The cafeteria on the third floor will close at four o'clock on Fridays for cleaning of the ovens.\n")


def _upload(client, gcm, text: str, title: str):
    return client.post(reverse("drafts:list", args=[gcm.slug]), {
        "title": title, "dated": "2018-02-05",
        "document": SimpleUploadedFile("zero-draft.txt", text.encode(), content_type="text/plain")})


@pytest.mark.django_db(transaction=True)
def test_a_draft_is_read_against_the_published_syntheses_then_published_and_compared(client, gcm, session, people):
    make_synthesis_with_key_points(session, status="published")
    client.force_login(people.secretariat)
    response = _upload(client, gcm, ZERO, "Zero draft")
    assert response.status_code == 302
    zero = DraftVersion.objects.get(process=gcm, number=1)
    assert zero.split == "numbered paragraphs" and zero.status == "queued" and zero.text == ZERO
    run_worker_once()  # the coverage task, as `rapporteur worker` runs it
    zero.refresh_from_db()
    assert zero.status == "ready", zero.error
    by_id = {k["id"]: k for k in zero.coverage["key_points"]}
    human_rights, remittances = f"S{session.pk}·K1", f"S{session.pk}·K3"
    assert by_id[human_rights]["reflected"] and by_id[human_rights]["paragraphs"] == ["1"]
    assert by_id[remittances]["reflected"] and "3" in zero.coverage["unsupported"]
    assert human_rights not in zero.coverage["missing"]
    page = client.get(reverse("drafts:detail", args=[gcm.slug, 1])).content.decode()
    assert "Convergence not in the draft (0)" in page and "¶ 3" in page and "not public" in page

    client.logout()  # the public does not see an unpublished draft, nor may it upload
    assert client.get(reverse("drafts:detail", args=[gcm.slug, 1])).status_code == 404
    assert "No draft has been published yet" in client.get(reverse("drafts:list", args=[gcm.slug])).content.decode()
    client.force_login(people.delegate)
    assert _upload(client, gcm, ZERO, "Mine").status_code == 403
    assert client.post(reverse("drafts:publish", args=[gcm.slug, 1])).status_code == 403

    client.force_login(people.secretariat)
    client.post(reverse("drafts:publish", args=[gcm.slug, 1]))
    assert _upload(client, gcm, REVISED, "Revision 1").status_code == 302
    run_worker_once()
    revised = DraftVersion.objects.get(process=gcm, number=2)
    assert human_rights in revised.coverage["missing"]
    client.post(reverse("drafts:publish", args=[gcm.slug, 2]))

    client.logout()
    listing = client.get(reverse("drafts:list", args=[gcm.slug])).content.decode()
    assert "Draft 1" in listing and "Draft 2" in listing
    compare = client.get(reverse("drafts:compare", args=[gcm.slug]), {"older": 1, "newer": 2}).content.decode()
    assert "Lost (1, 1 areas of convergence)" in compare and "The human rights of all migrants must be protected." in compare
    assert client.get(reverse("drafts:compare", args=[gcm.slug]), {"older": 1, "newer": 9}).status_code == 404


@pytest.mark.django_db
def test_an_empty_or_markup_draft_is_refused_with_its_name(client, gcm, people):
    client.force_login(people.secretariat)
    page = _upload(client, gcm, "\n\n", "Empty").content.decode()
    assert "zero-draft.txt is empty" in page and not DraftVersion.objects.exists()
    page = client.post(reverse("drafts:list", args=[gcm.slug]), {
        "title": "Web page", "dated": "2018-02-05",
        "document": SimpleUploadedFile("draft.txt", b"<html><body>1. x</body></html>", content_type="text/plain"),
    }).content.decode()
    assert "draft.txt" in page and not DraftVersion.objects.exists()
