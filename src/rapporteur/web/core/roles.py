"""The six roles, as django-rules predicates.

- admin: a superuser (made by ``rapporteur createadmin``); may do everything.
- secretariat: member of the "secretariat" group; runs processes, sessions, accreditation,
  moderation, synthesis runs and publication.
- moderator: member of the "moderator" group; moderates contributions.
- rapporteur: member of the "rapporteur" group; reads contributions and draft syntheses and edits
  drafts at the rapporteur's desk; does not moderate, accredit or publish unless also secretariat.
- delegate: a user listed as a delegate of an organisation; acts for that organisation only.
- public: everyone else, signed in or not; reads what is published.

Roles change in the admin (a user's groups and flags, an organisation's delegates) and with
``rapporteur adduser``; each change is one "change a role" entry in the audit log (``record_role_change``).
"""
from __future__ import annotations

from contextlib import contextmanager

import rules

SECRETARIAT = "secretariat"
MODERATOR = "moderator"
RAPPORTEUR = "rapporteur"
ROLE_GROUPS = (SECRETARIAT, MODERATOR, RAPPORTEUR)

is_admin = rules.is_superuser
is_secretariat = rules.is_group_member(SECRETARIAT) | is_admin
is_moderator = rules.is_group_member(MODERATOR) | is_secretariat
is_rapporteur = rules.is_group_member(RAPPORTEUR) | is_secretariat


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
    if rules.is_group_member(RAPPORTEUR)(user):
        names.append("rapporteur")
    if is_delegate(user):
        names.append("delegate")
    return names or ["public"]


def role_state(user) -> dict:
    """What the audit log keeps of a user's roles: superuser and staff flags, role groups, delegations."""
    from rapporteur.web.organisations.models import Delegate

    if user is None or user.pk is None:
        return {"superuser": False, "staff": False, "groups": [], "delegate_of": []}
    return {
        "superuser": user.is_superuser,
        "staff": user.is_staff,
        "groups": sorted(user.groups.filter(name__in=ROLE_GROUPS).values_list("name", flat=True)),
        "delegate_of": sorted(Delegate.objects.filter(user=user).values_list("organisation__name", flat=True)),
    }


def record_role_change(user, before: dict, *, by, actor_name: str = "") -> bool:
    """One "change a role" entry in the audit log when ``user``'s roles are no longer ``before``."""
    from rapporteur.web.audit import services as audit

    after = role_state(user)
    if after == before:
        return False
    audit.record(by, audit.Act.CHANGE_ROLE, user, before=before, after=after, label=user.get_username(),
                 actor_name=actor_name)
    return True


@contextmanager
def recording_role_changes(users, *, by, actor_name: str = ""):
    """Run the block, then record a role change for each of ``users`` whose roles it changed."""
    users = {u.pk: u for u in users if u is not None and u.pk is not None}
    before = {pk: role_state(u) for pk, u in users.items()}
    yield
    for pk, user in users.items():
        record_role_change(user, before[pk], by=by, actor_name=actor_name)
