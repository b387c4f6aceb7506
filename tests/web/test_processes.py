"""The GCM process, its pages, and the commands that start the site."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest
from django.urls import reverse

from rapporteur.web.processes import services
from rapporteur.web.processes.gcm import seed_gcm
from rapporteur.web.processes.models import Phase, Session, Taxonomy


def test_seed_gcm_makes_the_process_and_is_safe_to_repeat(db):
    process = seed_gcm()
    seed_gcm()
    assert list(process.phases.values_list("number", "name")) == [
        (1, "Consultations"), (2, "Stocktaking"), (3, "Intergovernmental negotiations")]
    thematic = Session.objects.filter(phase__process=process, kind="thematic").order_by("number")
    assert [(s.number, s.venue, s.start_date, s.end_date) for s in thematic] == [
        (1, "Geneva", date(2017, 5, 8), date(2017, 5, 9)),
        (2, "New York", date(2017, 5, 22), date(2017, 5, 23)),
        (3, "Geneva", date(2017, 6, 19), date(2017, 6, 20)),
        (4, "New York", date(2017, 7, 24), date(2017, 7, 25)),
        (5, "Vienna", date(2017, 9, 4), date(2017, 9, 5)),
        (6, "Geneva", date(2017, 10, 12), date(2017, 10, 13)),
    ]
    assert thematic[0].theme.startswith("Human rights of all migrants")
    assert all(s.phase.number == 1 for s in thematic)
    assert Session.objects.get(kind="stocktaking").venue == "Puerto Vallarta"
    assert Session.objects.filter(kind="negotiation", phase__number=3).count() == 6
    objectives = Taxonomy.objects.get(process=process, slug="objectives")
    assert objectives.terms.count() == 23 and objectives.terms.first().label == "Data"
    assert Taxonomy.objects.get(slug="guiding-principles").terms.count() == 10
    assert Taxonomy.objects.get(slug="stakeholder-types").terms.count() == 12


def test_public_process_page_shows_the_timeline(client, gcm):
    page = client.get(reverse("processes:process", args=["gcm"])).content.decode()
    assert page.index("Phase 1: Consultations") < page.index("Informal thematic session 1") \
        < page.index("Informal thematic session 6") < page.index("Phase 2: Stocktaking") \
        < page.index("Puerto Vallarta") < page.index("Phase 3: Intergovernmental negotiations")
    assert "Vienna" in page and "8 May 2017" in page
    assert "Eradicate trafficking" in page  # the objectives taxonomy
    assert client.get(reverse("core:home")).content.decode().count('href="/processes/gcm/"') == 1
    assert client.get(reverse("processes:process", args=["nope"])).status_code == 404


def test_session_status_moves_forward_as_the_secretariat_says(client, people, gcm):
    session = Session.objects.get(kind="thematic", number=3)
    client.force_login(people.secretariat)
    page = client.get(reverse("processes:session", args=[session.pk])).content.decode()
    assert "Change status" in page
    client.post(reverse("processes:session-status", args=[session.pk]), {"status": "open"})
    session.refresh_from_db()
    assert session.status == "open"
    client.post(reverse("processes:session-status", args=[session.pk]), {"status": "published"})
    session.refresh_from_db()
    assert session.status == "open"  # only publishing a synthesis publishes a session
    client.post(reverse("processes:session-status", args=[session.pk]),
                {"status": "closed", "contributions_deadline": "2030-01-01T12:00"})
    session.refresh_from_db()
    assert session.status == "closed" and session.contributions_deadline.year == 2030
    assert [s.value for s in services.allowed_statuses(session)] == ["open"]


def test_a_stray_click_on_change_status_changes_nothing(client, people, gcm):
    """The browser walk found the form preselecting the first allowed status: one click closed an open session."""
    session = Session.objects.get(kind="thematic", number=3)
    client.force_login(people.secretariat)
    client.post(reverse("processes:session-status", args=[session.pk]), {"status": "open"})
    page = client.get(reverse("processes:session", args=[session.pk])).content.decode()
    form = page.split('name="status"')[1].split("</select>")[0]
    assert '<option value="" selected>— choose a status —</option>' in form
    client.post(reverse("processes:session-status", args=[session.pk]), {"status": ""})  # the click, nothing chosen
    session.refresh_from_db()
    assert session.status == "open"


def test_pages_are_labelled_for_keyboard_and_screen_readers(client, people, session):
    client.force_login(people.delegate)
    page = client.get(reverse("contributions:create", args=[session.pk])).content.decode()
    assert 'href="#main"' in page and 'id="main"' in page and '<html lang="en" dir="ltr">' in page
    for field in ("organisation", "title", "text", "document"):
        assert f'<label for="id_{field}"' in page, field
    assert 'enctype="multipart/form-data"' in page


def _cli(*args, data_dir, env_extra=None):
    env = {**os.environ, "RAPPORTEUR_DATA_DIR": str(data_dir), **(env_extra or {})}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-m", "rapporteur.web.cli", *args], env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow
def test_commands_start_a_site_on_sqlite_in_a_data_directory(tmp_path):
    data = tmp_path / "data"
    result = _cli("seed-gcm", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "3 phases, 21 sessions, 3 taxonomies" in result.stdout
    assert (data / "rapporteur.sqlite3").exists() and (data / "secret_key").exists()
    result = _cli("createadmin", "--username", "chair", data_dir=data,
                  env_extra={"RAPPORTEUR_ADMIN_PASSWORD": "short"})
    assert result.returncode == 2 and "too short" in result.stderr
    result = _cli("createadmin", "--username", "chair", data_dir=data,
                  env_extra={"RAPPORTEUR_ADMIN_PASSWORD": "a-long-admin-password-1"})
    assert result.returncode == 0, result.stderr
    result = _cli("adduser", "amina", "--role", "delegate", "--organisation", "Migrant Voices Network",
                  "--type", "civil society", "--country", "Kenya", data_dir=data,
                  env_extra={"RAPPORTEUR_USER_PASSWORD": "a-long-user-password-1"})
    assert result.returncode == 0 and "special accreditation" not in result.stdout and "not requested" in result.stdout
    import sqlite3

    db = sqlite3.connect(data / "rapporteur.sqlite3")
    assert db.execute("select is_superuser from auth_user where username='chair'").fetchone() == (1,)
    assert db.execute("select country, region from organisations_organisation").fetchone() == ("KEN", "Africa")
    assert db.execute("select count(*) from processes_session").fetchone() == (21,)
    # each account's role is in the audit log, the command named as the actor
    assert db.execute("select act, actor_name, target_label from audit_auditentry order by id").fetchall() == [
        ("change_role", "rapporteur createadmin", "chair"), ("change_role", "rapporteur adduser", "amina")]


@pytest.mark.slow
def test_commands_for_rating_rounds(tmp_path):
    """``import-polis`` makes a closed round of a Pol.is export; ``api-token`` gives a delegate a token."""
    from pathlib import Path

    polis = Path(__file__).resolve().parents[3] / "shared" / "data" / "polis-opendata" / "london.youth.policing"
    data = tmp_path / "data"
    assert _cli("seed-gcm", data_dir=data).returncode == 0
    result = _cli("import-polis", "1", str(polis), data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "39 statements, 26 participants, 638 votes" in result.stdout
    assert _cli("import-polis", "1", str(tmp_path), data_dir=data).returncode == 2
    missing = _cli("import-polis", "999", str(polis), data_dir=data)
    assert missing.returncode == 2 and missing.stderr.strip() == "rapporteur: no session with id 999"
    assert _cli("api-token", "nobody", data_dir=data).returncode == 2
    result = _cli("adduser", "kenya", "--role", "delegate", "--organisation", "Kenya", "--type", "Member State",
                  "--country", "KEN", data_dir=data, env_extra={"RAPPORTEUR_USER_PASSWORD": "a-long-user-password-1"})
    assert result.returncode == 0, result.stderr
    result = _cli("api-token", "kenya", "--name", "script", data_dir=data)
    assert result.returncode == 0 and result.stdout.startswith("rpt_"), result.stderr
    import sqlite3

    db = sqlite3.connect(data / "rapporteur.sqlite3")
    assert db.execute("select name, prefix from api_apitoken").fetchone() == ("script", result.stdout.strip()[:10])
    assert db.execute("select status, imported_from from rounds_round").fetchone() == ("closed", polis.name)
