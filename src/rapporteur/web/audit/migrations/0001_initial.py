"""The audit log's table, and the triggers by which the database refuses to change or delete an entry
(``rapporteur.web.audit.triggers``: SQLite and PostgreSQL; another database has the model's refusal only)."""

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from rapporteur.web.audit import triggers


def create_triggers(apps, schema_editor):
    for sql in triggers.create_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in triggers.drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('processes', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False)),
                ('actor_name', models.CharField(help_text="The actor's user name at the time", max_length=150)),
                ('act', models.CharField(choices=[('accredit', 'accredit an organisation'), ('reject_accreditation', 'reject an accreditation request'), ('set_ecosoc_status', 'set ECOSOC consultative status'), ('publish_contribution', 'publish a contribution'), ('reject_contribution', 'reject a contribution'), ('import_contributions', 'import contributions'), ('open_session', 'open a session'), ('close_session', 'close a session'), ('set_session_status', "set a session's status"), ('run_synthesis', 'run a synthesis'), ('edit_assessment', "edit a stocktaking's assessment"), ('publish_synthesis', 'publish a synthesis'), ('open_round', 'open a rating round'), ('close_round', 'close a rating round'), ('reopen_round', 'reopen a rating round'), ('import_round', 'import a rating round'), ('accept_statement', "accept a participant's statement"), ('reject_statement', "reject a participant's statement"), ('change_role', 'change a role'), ('export_identities', 'export with identities'), ('export_audit_log', 'export the audit log')], db_index=True, max_length=40)),
                ('target_type', models.CharField(max_length=40)),
                ('target_id', models.CharField(max_length=64)),
                ('target_label', models.CharField(help_text='The target as it was named at the time', max_length=300)),
                ('before', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('after', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('reason', models.TextField(blank=True)),
                ('actor', models.ForeignKey(blank=True, help_text='Empty for the system (a command, the worker)', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('process', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='processes.process')),
            ],
            options={
                'verbose_name': 'audit entry',
                'verbose_name_plural': 'audit entries',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['target_type', 'target_id'], name='audit_target')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
