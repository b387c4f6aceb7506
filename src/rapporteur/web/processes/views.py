from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapporteur.web.contributions import selectors as contribution_selectors
from rapporteur.web.core.http import require
from rapporteur.web.rounds import selectors as round_selectors
from rapporteur.web.syntheses import selectors as synthesis_selectors

from . import selectors, services
from .forms import SessionStatusForm
from .models import Process, Session


def process_detail(request, slug):
    try:
        process = selectors.process_with_timeline(slug)
    except Process.DoesNotExist:
        raise Http404("No such process") from None
    syntheses = synthesis_selectors.latest_published_by_phase(process)
    for phase in process.phases.all():
        phase.published_synthesis = syntheses.get(phase.pk)
    return render(request, "processes/process_detail.html", {
        "process": process,
        "process_synthesis": synthesis_selectors.latest_published_for_process(process),
        "can_run": request.user.has_perm("syntheses.run_synthesis", process),
    })


def session_detail(request, pk):
    try:
        session = selectors.session_detail(pk)
    except Session.DoesNotExist:
        raise Http404("No such session") from None
    context = {
        "session": session,
        "contributions": contribution_selectors.published_for_session(session),
        "synthesis": synthesis_selectors.latest_published_for_session(session),
        "earlier_syntheses": list(synthesis_selectors.published_for_session(session))[1:],
        "can_contribute": request.user.has_perm("contributions.add_contribution", session),
        "can_manage": request.user.has_perm("processes.change_session_status", session),
        "rounds": round_selectors.rounds_for_session(session),
        "can_open_round": request.user.has_perm("rounds.open_round", session),
    }
    if context["can_open_round"]:
        context["has_finished_synthesis"] = synthesis_selectors.has_finished_synthesis(session)
    if context["can_manage"]:
        context["status_form"] = SessionStatusForm(
            allowed=services.allowed_statuses(session),
            initial={"contributions_deadline": session.contributions_deadline},
        )
        context["runs"] = synthesis_selectors.runs_for_session(session)
    return render(request, "processes/session_detail.html", context)


@require_POST
def session_status(request, pk):
    session = get_object_or_404(Session, pk=pk)
    require(request, "processes.change_session_status", session)
    form = SessionStatusForm(request.POST, allowed=services.allowed_statuses(session))
    if form.is_valid():
        try:
            services.change_status(session, form.cleaned_data["status"], form.cleaned_data["contributions_deadline"],
                                   by=request.user)
            messages.success(request, _("The session is now %(status)s.") % {"status": session.get_status_display()})
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
    else:
        messages.error(request, _("Choose one of the statuses offered."))
    return redirect("processes:session", pk=session.pk)
