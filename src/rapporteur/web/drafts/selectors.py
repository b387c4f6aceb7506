from django.db.models import QuerySet

from .models import DraftVersion


def drafts_of(process, user) -> QuerySet[DraftVersion]:
    """The process's draft versions the user may read, newest first."""
    drafts = DraftVersion.objects.filter(process=process).order_by("-number")
    if user.has_perm("drafts.add_draftversion", process):
        return drafts
    return drafts.filter(published_at__isnull=False)
