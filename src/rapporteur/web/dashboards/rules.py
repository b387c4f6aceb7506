import rules

from rapporteur.web.core.roles import is_delegate, is_secretariat

rules.add_perm("dashboards.view_delegate_dashboard", is_delegate)
rules.add_perm("dashboards.view_secretariat_dashboard", is_secretariat)
