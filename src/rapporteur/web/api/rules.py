"""API tokens are for delegates (the vote endpoint is theirs), each managing their own."""
import rules

from rapporteur.web.core.roles import is_delegate


@rules.predicate
def is_owner(user, token) -> bool:
    return token is not None and token.user_id == getattr(user, "pk", None)


rules.add_perm("api.add_apitoken", is_delegate)
rules.add_perm("api.delete_apitoken", is_owner)
