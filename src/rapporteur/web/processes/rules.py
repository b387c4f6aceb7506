"""Who may do what with processes and sessions."""
import rules

from rapporteur.web.core.roles import is_secretariat

rules.add_perm("processes.view_process", rules.always_allow)
rules.add_perm("processes.view_session", rules.always_allow)
rules.add_perm("processes.add_process", is_secretariat)
rules.add_perm("processes.change_process", is_secretariat)
rules.add_perm("processes.delete_process", is_secretariat)
rules.add_perm("processes.add_session", is_secretariat)
rules.add_perm("processes.change_session", is_secretariat)
rules.add_perm("processes.change_session_status", is_secretariat)
