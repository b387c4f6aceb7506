"""A platform instance in a subprocess, for the backup tests: ``populate`` or ``snapshot`` it.

    RAPPORTEUR_DATA_DIR=DIR [DATABASE_URL=…] python tests/trust/instance.py populate|snapshot

``populate`` builds what a consultation holds, through the site's own services and test factories:
accounts and organisations, the GCM process, published contributions (one with an uploaded PDF),
two synthesis versions (one published, with its report), a rating round with votes, changed votes
(the vote history) and a delegate's statement. ``snapshot`` prints, as JSON, every row of every
model (natural keys for users, groups and content types) and the SHA-256 of every uploaded file.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def populate() -> None:
    from django.core.files.base import ContentFile

    from rapporteur.web.contributions.models import Contribution
    from rapporteur.web.processes.gcm import seed_gcm
    from rapporteur.web.processes.models import Session
    from rapporteur.web.rounds import services as rounds
    from rapporteur.web.syntheses import services as syntheses
    from tests.web import factories

    people = factories.make_people()
    gcm = seed_gcm()
    session = Session.objects.get(phase__process=gcm, kind=Session.Kind.THEMATIC, number=1)
    session.status = Session.Status.OPEN
    session.save()
    delegates = factories.make_round_delegates()
    factories.publish_statements(session)
    with_document = Contribution.objects.create(session=session, organisation=people.own, submitted_by=people.delegate,
                                                text="We call for regular pathways.", state=Contribution.State.PUBLISHED,
                                                document_name="statement.pdf", document_kind="pdf")
    with_document.document.save("statement.pdf", ContentFile(factories.make_pdf("We call for regular pathways.")))
    draft = factories.make_synthesis_with_key_points(session)
    published = factories.make_synthesis_with_key_points(session)
    published.report_html = "<!DOCTYPE html><p>Areas of convergence: “The human rights of all migrants must be protected.”</p>"
    published.report_markdown = "# Synthesis\n\n- The human rights of all migrants must be protected.\n"
    published.save()
    published = syntheses.publish_synthesis(published, by=people.secretariat)
    round = rounds.open_round(session, synthesis=published, by=people.secretariat)
    statements = list(round.statements.order_by("pk"))
    for k, (name, user) in enumerate(sorted(delegates.items())):
        for j, statement in enumerate(statements):
            rounds.cast_vote(round_id=round.pk, statement_id=statement.pk, user=user, value=((k + j) % 3) - 1)
        rounds.cast_vote(round_id=round.pk, statement_id=statements[0].pk, user=user, value=1)  # a changed vote
    rounds.add_statement(round, user=delegates["kenya"], text="Remittances must become cheaper to send.")
    print(f"populated: draft synthesis {draft.pk}, published {published.pk}, round {round.pk}")


def snapshot() -> None:
    from django.conf import settings
    from django.core import serializers

    from rapporteur.web.core.backup import _models

    rows = {}
    for model in sorted(_models(), key=lambda m: m._meta.label_lower):
        data = serializers.serialize("python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True)
        rows[model._meta.label_lower] = json.loads(json.dumps(data, default=str, sort_keys=True))
    media = Path(settings.MEDIA_ROOT)
    files = {p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(media.rglob("*")) if p.is_file()} if media.is_dir() else {}
    print(json.dumps({"rows": rows, "files": files}, sort_keys=True))


if __name__ == "__main__":
    from rapporteur.web.cli import setup_django

    setup_django()
    {"populate": populate, "snapshot": snapshot}[sys.argv[1]]()
