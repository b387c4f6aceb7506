"""The background task: a draft's coverage, read in ``rapporteur worker`` (the models take seconds to load)."""
from rapporteur.web.core.tasks import task


@task()
def read_draft_coverage(draft_id: int) -> str:
    from .services import read_coverage

    return read_coverage(draft_id)
