"""Who may do what with syntheses: the public reads published ones; the secretariat does the rest."""
import rules

from rapporteur.web.core.roles import is_rapporteur, is_secretariat


@rules.predicate
def is_published(_user, synthesis) -> bool:
    return synthesis is not None and synthesis.status == synthesis.Status.PUBLISHED


@rules.predicate
def is_draft(_user, synthesis) -> bool:
    return synthesis is not None and synthesis.status == synthesis.Status.DRAFT


@rules.predicate
def is_stocktake(_user, synthesis) -> bool:
    return synthesis is not None and (synthesis.data or {}).get("kind") == "stocktake"


rules.add_perm("syntheses.view_synthesis", is_published | is_rapporteur)
# the rapporteur's desk: a draft synthesis of a session (a stocktaking's key points are edited through its SWOT)
rules.add_perm("syntheses.revise_synthesis", is_rapporteur & is_draft & ~is_stocktake)
rules.add_perm("syntheses.run_synthesis", is_secretariat)
rules.add_perm("syntheses.publish_synthesis", is_secretariat & is_draft)
# the secretariat's text beside the measured SWOT of a draft stocktaking; a published one is frozen
rules.add_perm("syntheses.edit_assessment", is_secretariat & is_draft & is_stocktake)
rules.add_perm("syntheses.add_synthesis", is_secretariat)
rules.add_perm("syntheses.change_synthesis", is_secretariat & ~is_published)
rules.add_perm("syntheses.delete_synthesis", rules.is_superuser & ~is_published)
