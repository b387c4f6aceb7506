"""The background task: the dashboard's analysis, recomputed by the worker (see services.request_refresh)."""
from rapporteur.web.core.tasks import task


@task()
def refresh_round_analysis(round_id: int) -> str:
    from .services import refresh_analysis

    data = refresh_analysis(round_id)
    return "analysed" if data else "no votes"
