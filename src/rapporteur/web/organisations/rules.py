"""Who may do what with organisations and their accreditation."""
import rules

from rapporteur.web.core.roles import is_secretariat


@rules.predicate
def is_delegate_of(user, organisation) -> bool:
    if organisation is None or not getattr(user, "is_authenticated", False):
        return False
    return organisation.delegates.filter(user=user).exists()


@rules.predicate
def may_request_accreditation(_user, organisation) -> bool:
    return organisation is not None and organisation.accreditation in (
        organisation.Accreditation.NOT_REQUESTED,
        organisation.Accreditation.REJECTED,
    )


@rules.predicate
def awaits_decision(_user, organisation) -> bool:
    return organisation is not None and organisation.accreditation == organisation.Accreditation.REQUESTED


@rules.predicate
def may_submit(_user, organisation) -> bool:
    return organisation is not None and organisation.may_submit


rules.add_perm("organisations.view_organisation", rules.always_allow)
rules.add_perm("organisations.add_organisation", is_secretariat)
rules.add_perm("organisations.change_organisation", is_secretariat)
rules.add_perm("organisations.delete_organisation", is_secretariat)
rules.add_perm("organisations.add_delegate", is_secretariat)
rules.add_perm("organisations.act_for_organisation", is_delegate_of)
rules.add_perm("organisations.request_accreditation", is_delegate_of & may_request_accreditation)
rules.add_perm("organisations.submit_contributions", is_delegate_of & may_submit)
rules.add_perm("organisations.view_accreditation_queue", is_secretariat)
rules.add_perm("organisations.decide_accreditation", is_secretariat & awaits_decision)
rules.add_perm("organisations.set_ecosoc_status", is_secretariat)
