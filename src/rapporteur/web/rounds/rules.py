"""Who may do what in rating rounds.

Everyone reads a round and its dashboard (groups too small to show are hidden from all but the
secretariat); delegates of accredited organisations vote and add statements while it is open;
moderators moderate added statements; the secretariat opens, closes, imports and exports.
"""
import rules

from rapporteur.web.core.roles import is_moderator, is_secretariat


@rules.predicate
def is_accredited_delegate(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(user, "accredited_delegate", None)  # found with the API token, in the same query
    if known is not None:
        return known
    from rapporteur.web.organisations.models import Delegate, Organisation

    return Delegate.objects.filter(user=user, organisation__accreditation__in=Organisation.ACCREDITED).exists()


@rules.predicate
def round_is_open(_user, round) -> bool:
    return round is not None and round.is_open


@rules.predicate
def takes_statements(_user, round) -> bool:
    return round is not None and round.is_open and round.accepts_statements


@rules.predicate
def awaits_moderation(_user, statement) -> bool:
    return statement is not None and statement.state == statement.State.PENDING


rules.add_perm("rounds.view_round", rules.always_allow)
rules.add_perm("rounds.view_small_groups", is_secretariat)
rules.add_perm("rounds.open_round", is_secretariat)
rules.add_perm("rounds.close_round", is_secretariat)
rules.add_perm("rounds.vote", is_accredited_delegate & round_is_open)
rules.add_perm("rounds.add_statement", is_accredited_delegate & takes_statements)
rules.add_perm("rounds.moderate_statement", is_moderator & awaits_moderation)
rules.add_perm("rounds.import_round", is_secretariat)
rules.add_perm("rounds.export_identified_votes", is_secretariat)
rules.add_perm("rounds.add_results_to_synthesis", is_secretariat)
