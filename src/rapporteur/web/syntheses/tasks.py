"""The background task: runs in ``rapporteur worker`` (django-tasks' database-backed queue)."""
from rapporteur.web.core.tasks import task


@task()
def run_synthesis(synthesis_id: int) -> str:
    from .services import execute_synthesis

    return execute_synthesis(synthesis_id)
