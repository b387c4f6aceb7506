"""The delegate's and the secretariat's dashboards: reads from each feature's selectors."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from rapporteur.web.contributions import selectors as contribution_selectors
from rapporteur.web.core import roles
from rapporteur.web.core.http import require
from rapporteur.web.organisations import selectors as organisation_selectors
from rapporteur.web.organisations.forms import ECOSOC_CHOICES, AccreditationDecisionForm
from rapporteur.web.api import selectors as api_selectors
from rapporteur.web.processes import selectors as process_selectors
from rapporteur.web.rounds import selectors as round_selectors
from rapporteur.web.syntheses import selectors as synthesis_selectors


@login_required
def home(request):
    """Where a user lands after signing in: the dashboard of their role."""
    user = request.user
    if roles.is_secretariat(user):
        return redirect("dashboards:secretariat")
    if roles.is_delegate(user):
        return redirect("dashboards:delegate")
    if roles.is_moderator(user):
        return redirect("contributions:moderation")
    return redirect("core:home")


def delegate(request):
    require(request, "dashboards.view_delegate_dashboard")
    return render(request, "dashboards/delegate.html", {
        "organisations": organisation_selectors.organisations_of(request.user),
        "open_sessions": process_selectors.sessions_open_for_contributions(),
        "contributions": contribution_selectors.contributions_of(request.user),
        "open_rounds": round_selectors.open_rounds(),
        "tokens": api_selectors.tokens_of(request.user),
        "new_token": request.session.pop("new_api_token", None),
    })


def secretariat(request):
    require(request, "dashboards.view_secretariat_dashboard")
    sessions = list(process_selectors.sessions_for_secretariat())
    return render(request, "dashboards/secretariat.html", {
        "accreditation_queue": organisation_selectors.accreditation_queue(),
        "decision_form": AccreditationDecisionForm(),
        "moderation_items": contribution_selectors.moderation_items(show_authors=True),
        "ecosoc_choices": ECOSOC_CHOICES,
        "sessions": sessions,
        "phases_with_contributions": {s.phase_id for s in sessions if s.published_count},
        "runs": synthesis_selectors.recent_runs(),
    })
