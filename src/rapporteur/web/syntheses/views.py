from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from rapporteur.web.core.http import require
from rapporteur.web.processes.models import Phase, Session

from . import selectors, services
from .models import Synthesis

# The engine's report is a self-contained page with its own inline scripts (charts). It is served
# sandboxed: it runs in an opaque origin, so nothing in it can read this site's cookies or pages.
REPORT_CSP = "sandbox allow-scripts allow-popups; base-uri 'none'; form-action 'none'; connect-src 'none'"


def _visible(request, pk) -> Synthesis:
    try:
        synthesis = selectors.synthesis_detail(pk)
    except Synthesis.DoesNotExist:
        raise Http404("No such synthesis") from None
    if not request.user.has_perm("syntheses.view_synthesis", synthesis):
        raise Http404("No such synthesis")  # unpublished syntheses do not exist for the public
    return synthesis


def synthesis_detail(request, pk):
    synthesis = _visible(request, pk)
    return render(request, "syntheses/synthesis_detail.html", {
        "synthesis": synthesis,
        "can_publish": request.user.has_perm("syntheses.publish_synthesis", synthesis),
        "can_run": request.user.has_perm("syntheses.run_synthesis", synthesis.scope),
        "in_progress": synthesis.status in (Synthesis.Status.QUEUED, Synthesis.Status.RUNNING),
    })


def synthesis_status(request, pk):
    """Progress as JSON, for scripts; the page itself refreshes without JavaScript."""
    synthesis = _visible(request, pk)
    return JsonResponse({
        "id": synthesis.pk, "version": synthesis.version, "status": synthesis.status,
        "stalled": synthesis.is_stalled, "stage": synthesis.stage, "done": synthesis.done,
        "total": synthesis.total, "error": synthesis.error,
    })


@xframe_options_sameorigin
def synthesis_report(request, pk):
    synthesis = _visible(request, pk)
    if not synthesis.report_html:
        raise Http404("This run has no report")
    response = HttpResponse(synthesis.report_html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = REPORT_CSP
    return response


def synthesis_markdown(request, pk):
    synthesis = _visible(request, pk)
    if not synthesis.report_markdown:
        raise Http404("This run has no report")
    response = HttpResponse(synthesis.report_markdown, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="synthesis-{synthesis.pk}-v{synthesis.version}.md"'
    return response


def synthesis_json(request, pk):
    synthesis = _visible(request, pk)
    if synthesis.data is None:
        raise Http404("This run has no data")
    return JsonResponse(synthesis.data, json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_POST
def start_session_synthesis(request, session_pk):
    session = get_object_or_404(Session, pk=session_pk)
    require(request, "syntheses.run_synthesis", session)
    return _start(request, session=session)


@require_POST
def start_phase_synthesis(request, phase_pk):
    phase = get_object_or_404(Phase, pk=phase_pk)
    require(request, "syntheses.run_synthesis", phase)
    return _start(request, phase=phase)


def _start(request, **scope):
    try:
        synthesis = services.start_synthesis(**scope, by=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("dashboards:secretariat")
    messages.success(request, f"Version {synthesis.version} is queued: the worker will run it.")
    return redirect("syntheses:detail", pk=synthesis.pk)


@require_POST
def publish(request, pk):
    synthesis = _visible(request, pk)
    require(request, "syntheses.publish_synthesis", synthesis)
    try:
        services.publish_synthesis(synthesis, by=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, f"Version {synthesis.version} is published.")
    return redirect("syntheses:detail", pk=synthesis.pk)
