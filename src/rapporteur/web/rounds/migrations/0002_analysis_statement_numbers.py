"""Cached analyses name statements by their number in the round now (issue 11), no longer by
database id: every cached analysis is dropped and made stale, so the worker analyses it again."""
from django.db import migrations


def drop_cached_analyses(apps, schema_editor):
    apps.get_model("rounds", "RoundAnalysis").objects.update(data=None, last_event=0, computed_at=None)


class Migration(migrations.Migration):
    dependencies = [("rounds", "0001_initial")]
    operations = [migrations.RunPython(drop_cached_analyses, migrations.RunPython.noop)]
