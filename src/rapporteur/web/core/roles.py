"""The five roles, as django-rules predicates.

- admin: a superuser (made by ``rapporteur createadmin``); may do everything.
- secretariat: member of the "secretariat" group; runs processes, sessions, accreditation,
  moderation, synthesis runs and publication.
- moderator: member of the "moderator" group; moderates contributions.
- delegate: a user listed as a delegate of an organisation; acts for that organisation only.
- public: everyone else, signed in or not; reads what is published.
"""
from __future__ import annotations

import rules

SECRETARIAT = "secretariat"
MODERATOR = "moderator"
ROLE_GROUPS = (SECRETARIAT, MODERATOR)

is_admin = rules.is_superuser
is_secretariat = rules.is_group_member(SECRETARIAT) | is_admin
is_moderator = rules.is_group_member(MODERATOR) | is_secretariat


@rules.predicate
def is_delegate(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    from rapporteur.web.organisations.models import Delegate

    return Delegate.objects.filter(user=user).exists()


def role_names(user) -> list[str]:
    """The roles a user holds, for display ("public" when none)."""
    names = []
    if is_admin(user):
        names.append("admin")
    if rules.is_group_member(SECRETARIAT)(user):
        names.append("secretariat")
    if rules.is_group_member(MODERATOR)(user):
        names.append("moderator")
    if is_delegate(user):
        names.append("delegate")
    return names or ["public"]
