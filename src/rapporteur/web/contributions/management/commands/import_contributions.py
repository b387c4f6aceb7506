from django.core.management.base import BaseCommand, CommandError

from rapporteur.errors import InputError
from rapporteur.web.contributions.services import import_contributions
from rapporteur.web.processes.models import Session


class Command(BaseCommand):
    help = "Import a folder (with an optional metadata CSV) or a statements CSV into a session."

    def add_arguments(self, parser):
        parser.add_argument("session", type=int, help="the session's id")
        parser.add_argument("path", help="a folder of .txt/.md/.pdf/.docx, or a statements CSV")
        parser.add_argument("--meta", help="metadata CSV for a folder (file, stakeholder, type, country)")
        parser.add_argument("--encoding", default="utf-8")

    def handle(self, session, path, meta=None, encoding="utf-8", **options):
        try:
            target = Session.objects.get(pk=session)
        except Session.DoesNotExist:
            raise CommandError(f"no session with id {session}") from None
        try:
            report = import_contributions(target, path, meta=meta, encoding=encoding)
        except InputError as err:
            raise CommandError(str(err)) from None
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(f"Imported {len(report.created)} contributions into {target}.")
