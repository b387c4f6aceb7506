"""Who may do what with contributions."""
import rules

from rapporteur.web.core.roles import is_delegate, is_moderator, is_secretariat
from rapporteur.web.organisations.rules import is_delegate_of


@rules.predicate
def is_published(_user, contribution) -> bool:
    return contribution is not None and contribution.state == contribution.State.PUBLISHED


@rules.predicate
def is_own(user, contribution) -> bool:
    return contribution is not None and is_delegate_of(user, contribution.organisation)


@rules.predicate
def is_editable(_user, contribution) -> bool:
    return (
        contribution is not None
        and contribution.state in (contribution.State.DRAFT, contribution.State.SUBMITTED)
        and contribution.session.accepts_contributions
    )


@rules.predicate
def awaits_moderation(_user, contribution) -> bool:
    return contribution is not None and contribution.state == contribution.State.SUBMITTED


@rules.predicate
def is_not_draft(_user, contribution) -> bool:
    return contribution is not None and contribution.state != contribution.State.DRAFT


@rules.predicate
def session_accepts(_user, session) -> bool:
    return session is not None and session.accepts_contributions


rules.add_perm("contributions.view_contribution", is_published | is_own | (is_moderator & is_not_draft))
rules.add_perm("contributions.add_contribution", is_delegate & session_accepts)
rules.add_perm("contributions.change_contribution", is_own & is_editable)
rules.add_perm("contributions.delete_contribution", is_secretariat)
rules.add_perm("contributions.view_moderation_queue", is_moderator)
rules.add_perm("contributions.moderate_contribution", is_moderator & awaits_moderation)
rules.add_perm("contributions.import_contributions", is_secretariat)
