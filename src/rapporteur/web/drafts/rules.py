"""Who may do what with drafts: the secretariat uploads and publishes; the public reads published ones."""
import rules

from rapporteur.web.core.roles import is_secretariat


@rules.predicate
def is_published(_user, draft) -> bool:
    return draft is not None and draft.published_at is not None


rules.add_perm("drafts.view_draftversion", is_published | is_secretariat)
rules.add_perm("drafts.add_draftversion", is_secretariat)
rules.add_perm("drafts.publish_draftversion", is_secretariat & ~is_published)
