"""Who may read the audit log: the secretariat. Nobody may change or delete an entry (no permission is
given for it, and the model, the admin and the database refuse it)."""
import rules

from rapporteur.web.core.roles import is_secretariat

rules.add_perm("audit.view_auditentry", is_secretariat)
rules.add_perm("audit.export_auditentry", is_secretariat)
