"""The audit log (issue 16, item 2): every act of the secretariat and the moderators, done through the
site, writes exactly one entry (who, when, what, before → after); no entry can be changed or deleted
through the ORM, the database, the admin, the site or the API; the page and its CSV are the
secretariat's."""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.models import Max, ProtectedError
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from rapporteur.web.audit import services as audit
from rapporteur.web.audit.models import AppendOnly, AuditEntry
from rapporteur.web.contributions.models import Contribution
from rapporteur.web.organisations import services as organisation_services
from rapporteur.web.rounds import services as round_services
from rapporteur.web.rounds.models import Round
from rapporteur.web.syntheses.models import Synthesis

from .factories import make_synthesis_with_key_points, publish_statements

Act = AuditEntry.Act


def _mark() -> int:
    return AuditEntry.objects.aggregate(m=Max("pk"))["m"] or 0


def _since(mark: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(pk__gt=mark).order_by("pk"))


def _one(mark: int) -> AuditEntry:
    entries = _since(mark)
    assert len(entries) == 1, [str(e) for e in entries]
    return entries[0]


def _check(entry, actor, act, target, before=None, after=None, reason=""):
    assert entry.actor == actor and entry.actor_name == actor.username
    assert entry.act == act
    assert (entry.target_type, entry.target_id) == (target._meta.model_name, str(target.pk))
    if before is not None:
        assert {k: entry.before.get(k) for k in before} == before, entry.before
    if after is not None:
        assert {k: entry.after.get(k) for k in after} == after, entry.after
    assert entry.reason == reason
    assert abs((timezone.now() - entry.at).total_seconds()) < 60


def _submitted(people, session, title="Regular pathways", organisation=None):
    organisation = organisation or people.other  # accredited (ECOSOC special status)
    return Contribution.objects.create(session=session, organisation=organisation, submitted_by=people.other_delegate,
                                       state="submitted", title=title, text="We call for regular pathways.",
                                       submitted_at=timezone.now())


# ------------------------------------------------------------------------------------ each act, one entry
def test_accrediting_and_rejecting_an_organisation(client, people):
    organisation_services.request_accreditation(people.own, "We represent migrants.")
    cities = organisation_services.create_organisation("Cities Alliance", "local government", "BEL")
    organisation_services.request_accreditation(cities, "We are cities.")
    client.force_login(people.secretariat)

    mark = _mark()
    client.post(reverse("organisations:decide-accreditation", args=[people.own.pk]), {"decision": "approve", "reason": ""})
    entry = _one(mark)
    _check(entry, people.secretariat, Act.ACCREDIT, people.own, before={"accreditation": "requested"},
           after={"accreditation": "approved"})
    assert entry.target_label == "Migrant Voices Network" and entry.process is None

    mark = _mark()
    client.post(reverse("organisations:decide-accreditation", args=[cities.pk]),
                {"decision": "reject", "reason": "Not a stakeholder of this process."})
    _check(_one(mark), people.secretariat, Act.REJECT_ACCREDITATION, cities, before={"accreditation": "requested"},
           after={"accreditation": "rejected"}, reason="Not a stakeholder of this process.")

    mark = _mark()  # a refused decision (no request pending) is no act
    client.post(reverse("organisations:decide-accreditation", args=[cities.pk]), {"decision": "approve", "reason": ""})
    assert _since(mark) == []


def test_setting_ecosoc_status(client, people):
    client.force_login(people.secretariat)
    url = reverse("organisations:set-ecosoc-status", args=[people.own.pk])
    mark = _mark()
    client.post(url, {"ecosoc_status": "special"})
    _check(_one(mark), people.secretariat, Act.SET_ECOSOC_STATUS, people.own,
           before={"ecosoc_status": "", "accreditation": "not_requested"},
           after={"ecosoc_status": "special", "accreditation": "ecosoc"})
    mark = _mark()
    client.post(url, {"ecosoc_status": "special"})  # the same status again changes nothing: no entry
    assert _since(mark) == []
    client.post(url, {"ecosoc_status": ""})
    _check(_one(mark), people.secretariat, Act.SET_ECOSOC_STATUS, people.own,
           before={"ecosoc_status": "special"}, after={"ecosoc_status": "", "accreditation": "not_requested"})


def test_publishing_and_rejecting_a_contribution(client, people, session):
    published, rejected = _submitted(people, session, "First"), _submitted(people, session, "Second")
    client.force_login(people.moderator)
    mark = _mark()
    client.post(reverse("contributions:moderate", args=[published.pk]), {"decision": "approve", "reason": ""})
    entry = _one(mark)
    _check(entry, people.moderator, Act.PUBLISH_CONTRIBUTION, published, before={"state": "submitted"},
           after={"state": "published"})
    assert entry.target_label == "First" and entry.process == session.phase.process

    mark = _mark()
    client.post(reverse("contributions:moderate", args=[rejected.pk]), {"decision": "reject", "reason": "Off topic."})
    _check(_one(mark), people.moderator, Act.REJECT_CONTRIBUTION, rejected, before={"state": "submitted"},
           after={"state": "rejected"}, reason="Off topic.")


def test_a_bulk_decision_writes_one_entry_per_item_decided(client, people, session):
    contributions = [_submitted(people, session, f"Item {i}") for i in range(2)]
    refused = _submitted(people, session, "Not accredited", organisation=people.own)
    round = round_services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    statement = round_services.add_statement(round, user=people.other_delegate, text="Cities need a seat at the table.")
    keys = [f"contribution-{c.pk}" for c in (*contributions, refused)] + [f"statement-{statement.pk}"]
    client.force_login(people.moderator)
    mark = _mark()
    client.post(reverse("contributions:moderate-selected"), {"items": keys, "action": "publish"})
    entries = _since(mark)
    assert [(e.act, e.target_type, e.target_id) for e in entries] == [
        (Act.PUBLISH_CONTRIBUTION, "contribution", str(contributions[0].pk)),
        (Act.PUBLISH_CONTRIBUTION, "contribution", str(contributions[1].pk)),
        (Act.ACCEPT_STATEMENT, "statement", str(statement.pk)),
    ]  # none for the item refused (its organisation is not accredited)
    assert {e.actor for e in entries} == {people.moderator}
    Contribution.objects.filter(pk=refused.pk).update(organisation=people.other)
    mark = _mark()
    client.post(reverse("contributions:moderate-selected"),
                {"items": [f"contribution-{refused.pk}"], "action": "reject", "reason": "Duplicate."})
    _check(_one(mark), people.moderator, Act.REJECT_CONTRIBUTION, refused, after={"state": "rejected"},
           reason="Duplicate.")


def test_moderating_a_statement_of_a_round(client, people, session):
    round = round_services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    accepted = round_services.add_statement(round, user=people.other_delegate, text="Cities need a seat at the table.")
    rejected = round_services.add_statement(round, user=people.other_delegate, text="Buy our product.")
    client.force_login(people.moderator)
    mark = _mark()
    client.post(reverse("rounds:moderate", args=[accepted.pk]), {"decision": "approve", "reason": ""})
    _check(_one(mark), people.moderator, Act.ACCEPT_STATEMENT, accepted, before={"state": "pending"},
           after={"state": "accepted"})
    mark = _mark()
    client.post(reverse("rounds:moderate", args=[rejected.pk]), {"decision": "reject", "reason": "Advertising."})
    _check(_one(mark), people.moderator, Act.REJECT_STATEMENT, rejected, after={"state": "rejected"},
           reason="Advertising.")


def test_opening_and_closing_a_session(client, people, session):
    client.force_login(people.secretariat)
    url = reverse("processes:session-status", args=[session.pk])
    mark = _mark()
    client.post(url, {"status": "closed"})
    entry = _one(mark)
    _check(entry, people.secretariat, Act.CLOSE_SESSION, session, before={"status": "open", "deadline": None},
           after={"status": "closed", "deadline": None})
    assert entry.process == session.phase.process and entry.target_label == session.title

    mark = _mark()
    client.post(url, {"status": "open", "contributions_deadline": "2099-06-30T12:00"})
    entry = _one(mark)
    _check(entry, people.secretariat, Act.OPEN_SESSION, session, before={"status": "closed", "deadline": None},
           after={"status": "open"})
    assert entry.after["deadline"].startswith("2099-06-30T12:00")


def test_running_and_publishing_a_synthesis(client, people, session):
    publish_statements(session)
    client.force_login(people.secretariat)
    mark = _mark()
    client.post(reverse("syntheses:start-session", args=[session.pk]))
    run = Synthesis.objects.get(session=session)
    entry = _one(mark)
    _check(entry, people.secretariat, Act.RUN_SYNTHESIS, run, after={"version": 1, "status": "queued", "contributions": 4})
    assert entry.target_label == f"Synthesis of {session.title}, version 1" and entry.process == session.phase.process

    draft = make_synthesis_with_key_points(session)
    mark = _mark()
    client.post(reverse("syntheses:publish", args=[draft.pk]))
    _check(_one(mark), people.secretariat, Act.PUBLISH_SYNTHESIS, draft,
           before={"status": "draft", "session_status": "open"},
           after={"status": "published", "session_status": "published"})
    mark = _mark()  # publishing again is refused: no act
    client.post(reverse("syntheses:publish", args=[draft.pk]))
    assert _since(mark) == []


def test_editing_a_stocktaking_s_assessment(client, people, session, monkeypatch):
    import rapporteur.report.html
    import rapporteur.report.markdown
    import rapporteur.schema

    # the document's own checks and rendering are the stocktaking tests' concern (they run the engine)
    monkeypatch.setattr(rapporteur.schema, "validate_synthesis", lambda data: data)
    monkeypatch.setattr(rapporteur.report.html, "render_html_dict", lambda data: "<html></html>")
    monkeypatch.setattr(rapporteur.report.markdown, "render_markdown_dict", lambda data: "")
    measured = {"text": "Measured.", "figure": 1, "rule": "r", "point_ids": [], "edited": False}
    stocktake = Synthesis.objects.create(phase=session.phase, version=1, status="draft", data={
        "kind": "stocktake", "assessment": {h: [dict(measured)] for h in ("strengths", "weaknesses", "opportunities",
                                                                              "threats")}})
    client.force_login(people.secretariat)
    mark = _mark()
    client.post(reverse("syntheses:assessment", args=[stocktake.pk]), {"strengths": "Measured.\nCities took part."})
    _check(_one(mark), people.secretariat, Act.EDIT_ASSESSMENT, stocktake, before={"strengths": []},
           after={"strengths": ["Cities took part."], "threats": []})


def test_opening_closing_and_reopening_a_round(client, people, session):
    synthesis = make_synthesis_with_key_points(session)
    client.force_login(people.secretariat)
    mark = _mark()
    client.post(reverse("rounds:open", args=[session.pk]),
                {"synthesis": synthesis.pk, "title": "", "max_key_points": 30, "accepts_statements": "on"})
    round = Round.objects.get(session=session)
    entry = _one(mark)
    _check(entry, people.secretariat, Act.OPEN_ROUND, round, after={"status": "open", "synthesis_version": 1})
    assert entry.process == session.phase.process

    mark = _mark()
    client.post(reverse("rounds:status", args=[round.pk]), {"status": "closed"})
    _check(_one(mark), people.secretariat, Act.CLOSE_ROUND, round, before={"status": "open"}, after={"status": "closed"})
    mark = _mark()
    client.post(reverse("rounds:status", args=[round.pk]), {"status": "closed"})  # already closed: no act
    assert _since(mark) == []
    client.post(reverse("rounds:status", args=[round.pk]), {"status": "open"})
    _check(_one(mark), people.secretariat, Act.REOPEN_ROUND, round, before={"status": "closed"}, after={"status": "open"})


def test_importing_contributions(client, people, session):
    data = ("stakeholder,type,country,text\nMexico,Member State,MEX,We support regular pathways.\n"
            "Caritas Internationalis,civil society,,End child detention.\n").encode()
    client.force_login(people.secretariat)
    mark = _mark()
    client.post(reverse("contributions:import", args=[session.pk]), {"statements": SimpleUploadedFile("s.csv", data)})
    entry = _one(mark)
    created = list(Contribution.objects.filter(session=session).order_by("pk").values_list("pk", flat=True))
    _check(entry, people.secretariat, Act.IMPORT_CONTRIBUTIONS, session,
           after={"source": "statements.csv", "published": 2, "contributions": created})


POLIS = Path(__file__).resolve().parents[3] / "shared" / "data" / "polis-opendata" / "london.youth.policing"


@pytest.mark.skipif(not POLIS.is_dir(), reason="needs ../shared/data/polis-opendata")
def test_importing_a_rating_round(client, people, session):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in POLIS.iterdir():
            archive.write(path, f"london.youth.policing/{path.name}")
    client.force_login(people.secretariat)
    mark = _mark()
    client.post(reverse("rounds:import", args=[session.pk]), {
        "export": SimpleUploadedFile("export.zip", buffer.getvalue(), content_type="application/zip"), "title": "London"})
    round = Round.objects.get(session=session)
    _check(_one(mark), people.secretariat, Act.IMPORT_ROUND, round,
           after={"status": "closed", "statements": round.statements.count(), "votes": round.votes.count()})


def test_exporting_votes_with_identities(client, people, session):
    round = round_services.open_round(session, synthesis=make_synthesis_with_key_points(session), by=people.secretariat)
    url = reverse("exports:round-votes", args=[round.pk, "csv"])
    client.force_login(people.secretariat)
    mark = _mark()
    assert client.get(url).status_code == 200  # the public export names no one: no act
    assert _since(mark) == []
    assert client.get(url + "?identified=1&history=1").status_code == 200
    _check(_one(mark), people.secretariat, Act.EXPORT_IDENTITIES, round,
           after={"export": "vote history", "format": "csv", "rows": 0})
    client.force_login(people.delegate)
    mark = _mark()
    assert client.get(url + "?identified=1").status_code == 403
    assert _since(mark) == []


def test_changing_a_role_in_the_admin(client, people):
    client.force_login(people.admin)
    member = people.member
    secretariat = Group.objects.get(name="secretariat")
    mark = _mark()
    response = client.post(reverse("admin:auth_user_change", args=[member.pk]), {
        "username": member.username, "first_name": "", "last_name": "", "email": "", "is_active": "on",
        "is_staff": "on", "groups": [secretariat.pk],
        "date_joined_0": member.date_joined.strftime("%Y-%m-%d"), "date_joined_1": member.date_joined.strftime("%H:%M:%S"),
    })
    assert response.status_code == 302, response.content.decode()[-2000:]
    entry = _one(mark)
    _check(entry, people.admin, Act.CHANGE_ROLE, member,
           before={"groups": [], "staff": False, "superuser": False, "delegate_of": []},
           after={"groups": ["secretariat"], "staff": True, "superuser": False, "delegate_of": []})
    assert entry.target_label == "member"

    mark = _mark()
    response = client.post(reverse("admin:organisations_delegate_add"), {"user": member.pk, "organisation": people.own.pk})
    assert response.status_code == 302
    _check(_one(mark), people.admin, Act.CHANGE_ROLE, member, before={"delegate_of": []},
           after={"delegate_of": ["Migrant Voices Network"]})

    mark = _mark()  # saving the user unchanged is no act
    client.post(reverse("admin:auth_user_change", args=[member.pk]), {
        "username": member.username, "is_active": "on", "is_staff": "on", "groups": [secretariat.pk],
        "date_joined_0": member.date_joined.strftime("%Y-%m-%d"), "date_joined_1": member.date_joined.strftime("%H:%M:%S"),
    })
    assert _since(mark) == []


def test_an_act_and_its_entry_land_together_or_not_at_all(client, people, monkeypatch):
    organisation_services.request_accreditation(people.own, "We represent migrants.")

    def broken(*args, **kwargs):
        raise DatabaseError("the audit log cannot be written")

    monkeypatch.setattr(audit, "record", broken)
    client.force_login(people.secretariat)
    mark = _mark()
    with pytest.raises(DatabaseError):
        client.post(reverse("organisations:decide-accreditation", args=[people.own.pk]), {"decision": "approve"})
    people.own.refresh_from_db()
    assert people.own.accreditation == "requested" and _since(mark) == []


# --------------------------------------------------------------------------------------- append-only
@pytest.fixture
def entry(people):
    return audit.record(people.secretariat, Act.SET_ECOSOC_STATUS, people.own, before={"ecosoc_status": ""},
                        after={"ecosoc_status": "special"})


def test_the_orm_refuses_to_change_or_delete_an_entry(entry):
    entry.reason = "edited afterwards"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="edited")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.bulk_update([entry], ["reason"])
    with pytest.raises(AppendOnly):
        AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"reason": "edited"})
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.reason == "" and stored.after == {"ecosoc_status": "special"}


def test_the_database_refuses_raw_updates_and_deletes(entry):
    assert connection.vendor in ("sqlite", "postgresql")
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    statements = [f"UPDATE {table} SET reason = 'edited' WHERE id = {entry.pk}", f"DELETE FROM {table} WHERE id = {entry.pk}",
                  f"DELETE FROM {table}"]
    if connection.vendor == "postgresql":
        # (the test's transaction holds the entry's foreign key checks, which TRUNCATE would refuse to skip)
        statements.append(f"SET CONSTRAINTS ALL IMMEDIATE; TRUNCATE {table} CASCADE")
    for sql in statements:
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.reason == "" and AuditEntry.objects.count() == 1


def test_an_actor_with_entries_cannot_be_deleted_and_a_rename_keeps_the_name(entry, people):
    with pytest.raises(ProtectedError):
        people.secretariat.delete()
    people.secretariat.username = "renamed"
    people.secretariat.save()
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == "secretariat"


def test_the_admin_shows_entries_but_refuses_every_change_even_to_a_superuser(client, entry, people):
    client.force_login(people.admin)
    changelist = client.get(reverse("admin:audit_auditentry_changelist"))
    assert changelist.status_code == 200
    page = changelist.content.decode()
    assert "Migrant Voices Network" in page
    assert reverse("admin:audit_auditentry_add") not in page and 'name="action"' not in page
    detail = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode() and reverse("admin:audit_auditentry_delete", args=[entry.pk]) \
        not in detail.content.decode()
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_add"), {"actor_name": "forged", "act": "accredit"}).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {"reason": "edited"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    client.post(reverse("admin:audit_auditentry_changelist"),
                {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists() and AuditEntry.objects.count() == 1


def test_the_site_has_no_url_that_writes_an_entry(client, entry, people):
    patterns = [p for p in get_resolver("rapporteur.web.audit.urls").url_patterns if isinstance(p, URLPattern)]
    assert sorted(p.name for p in patterns) == ["export", "list"]
    client.force_login(people.admin)
    for url in (reverse("audit:list"), reverse("audit:export")):
        for method in (client.post, client.put, client.patch, client.delete):
            assert method(url).status_code == 405
    assert client.post(f"/audit/{entry.pk}/delete").status_code == 404
    assert AuditEntry.objects.filter(pk=entry.pk, reason="").exists()


def test_the_api_has_no_audit_endpoint(client, entry):
    schema = client.get("/api/v1/openapi.json").json()
    assert not [path for path in schema["paths"] if "audit" in path]
    for method in (client.get, client.post, client.put, client.delete):
        assert method("/api/v1/audit").status_code in (404, 405)
        assert method(f"/api/v1/audit/{entry.pk}").status_code in (404, 405)
    assert AuditEntry.objects.count() == 1


# ----------------------------------------------------------------------------------------- the page
def test_the_page_is_the_secretariat_s(client, people, entry):
    url = reverse("audit:list")
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("audit:export")).status_code == 302
    for user in (people.delegate, people.moderator, people.member):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(reverse("audit:export")).status_code == 403
    client.force_login(people.secretariat)
    assert client.get(url).status_code == 200
    dashboard = client.get(reverse("dashboards:secretariat")).content.decode()
    assert f'href="{url}"' in dashboard


def test_the_page_lists_newest_first_with_filters_and_pages(client, people, session, entry):
    process = session.phase.process
    for i in range(55):
        audit.record(people.moderator, Act.PUBLISH_CONTRIBUTION, session, label=f"Contribution {i}",
                     after={"state": "published"})
    client.force_login(people.secretariat)
    page = client.get(reverse("audit:list")).content.decode()
    assert "56 entries" in page and "Page 1 of 2" in page
    assert page.index("Contribution 54") < page.index("Contribution 53")  # newest first
    assert "Migrant Voices Network" not in page  # the oldest is on page 2
    assert "Migrant Voices Network" in client.get(reverse("audit:list") + "?page=2").content.decode()
    assert "state</code>: — → <bdi>published</bdi>" in page  # laid out left to right in an Arabic page too
    only = client.get(reverse("audit:list"), {"act": "set_ecosoc_status"}).content.decode()
    assert "1 entry" in only and "Migrant Voices Network" in only and "Contribution 1" not in only
    assert "55 entries" in client.get(reverse("audit:list"), {"actor": "moderator"}).content.decode()
    assert "55 entries" in client.get(reverse("audit:list"), {"process": process.slug}).content.decode()
    assert "0 entries" in client.get(reverse("audit:list"), {"process": "nowhere"}).content.decode()
    french = client.get(reverse("audit:list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Journal d’audit" in french and "Audit log" not in french
    for english in ("Every act of the secretariat", "Download these entries", "publish a contribution", "Older entries",
                    "56 entries", "Before → after"):
        assert english in page and english not in french
    assert "publier une contribution" in french and "56 entrées" in french


def test_the_csv_export_neutralises_formulas_and_is_itself_recorded(client, people):
    evil = organisation_services.create_organisation('=HYPERLINK("http://evil.example/","click")', "NGO", "KEN")
    client.force_login(people.secretariat)
    client.post(reverse("organisations:set-ecosoc-status", args=[evil.pk]), {"ecosoc_status": "roster"})
    mark = _mark()
    response = client.get(reverse("audit:export"), {"act": "set_ecosoc_status"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["target"] == "'" + evil.name and row["actor"] == "secretariat" and row["act"] == "set_ecosoc_status"
    assert row["target_type"] == "organisation" and row["target_id"] == str(evil.pk)
    assert '"ecosoc_status": "roster"' in row["after"]
    assert all(not v.startswith(("=", "+", "-", "@")) for v in row.values())
    _check(_one(mark), people.secretariat, Act.EXPORT_AUDIT_LOG, people.secretariat,
           after={"filters": {"act": "set_ecosoc_status"}, "entries": 1})


def test_every_act_has_a_french_and_spanish_label():
    from django.utils import translation

    with translation.override("en"):
        english = [str(label) for _, label in Act.choices]
    for lang in ("fr", "es"):
        with translation.override(lang):
            assert [str(label) for _, label in Act.choices if str(label) in english] == [], lang


@pytest.mark.django_db(transaction=True)
def test_an_act_outside_a_test_transaction_is_committed_with_its_entry(people):
    """Committed for real (no test transaction around it); the flush after the test empties the log
    past its triggers (conftest), as only the database's owner could."""
    organisation_services.set_ecosoc_status(people.own, "general", by=people.secretariat)
    entry = AuditEntry.objects.get(act=Act.SET_ECOSOC_STATUS)
    assert entry.after["accreditation"] == "ecosoc"
    with pytest.raises(DatabaseError, match="append-only"):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(AuditEntry._meta.db_table)}")
    assert AuditEntry.objects.count() == 1
