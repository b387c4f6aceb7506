import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from rapporteur.web.core.http import require
from rapporteur.web.processes.models import Phase, Process, Session

from . import delivery, selectors, services
from .models import Synthesis

# The SWOT headings as the form shows them (the field names stay the engine's).
SWOT_LABELS = {"strengths": gettext_lazy("strengths"), "weaknesses": gettext_lazy("weaknesses"),
               "opportunities": gettext_lazy("opportunities"), "threats": gettext_lazy("threats")}

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
    can_edit_assessment = request.user.has_perm("syntheses.edit_assessment", synthesis)
    return render(request, "syntheses/synthesis_detail.html", {
        "synthesis": synthesis,
        "can_publish": request.user.has_perm("syntheses.publish_synthesis", synthesis),
        "can_run": request.user.has_perm("syntheses.run_synthesis", synthesis.scope),
        "in_progress": synthesis.status in (Synthesis.Status.QUEUED, Synthesis.Status.RUNNING),
        "can_edit_assessment": can_edit_assessment,
        "can_revise": request.user.has_perm("syntheses.revise_synthesis", synthesis),
        "revision": (synthesis.data or {}).get("revision"),
        "assessment_headings": _assessment_headings(synthesis) if can_edit_assessment else [],
    })


def _assessment_headings(synthesis) -> list[dict]:
    """Per SWOT heading: its measured facts and the text of the form's textarea."""
    texts = services.assessment_texts(synthesis)
    assessment = synthesis.data["assessment"]
    return [{"name": h, "label": SWOT_LABELS.get(h, h), "measured": [f for f in assessment[h] if not f.get("edited")],
             "text": texts[h]} for h in services.SWOT_HEADINGS]


@require_POST
def edit_assessment(request, pk):
    """The secretariat's text of a draft stocktaking's SWOT (``services.edit_assessment``)."""
    synthesis = _visible(request, pk)
    require(request, "syntheses.edit_assessment", synthesis)
    texts = {h: request.POST[h] for h in services.SWOT_HEADINGS if h in request.POST}
    try:
        services.edit_assessment(synthesis, texts, by=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("The assessment of version %(version)s is saved; the report is rendered again, "
                                    "the secretariat's text marked beside the measured facts.") % {"version": synthesis.version})
    return redirect("syntheses:detail", pk=synthesis.pk)


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
    """Sandboxed (``REPORT_CSP``), gzip-compressed, with ETag and Cache-Control; the chart library apart
    (``delivery``)."""
    return delivery.report_response(request, pk, REPORT_CSP)


def synthesis_review(request, pk):
    """The draft's report on a page of its own, full height, with a review bar above and below it.

    The report is served as the sandboxed document itself (``REPORT_CSP``, like ``report.html``),
    never inlined into a site page nor framed (X-Frame-Options stays DENY). Its opaque origin can
    post nothing to the site with the user's cookies, so the bars link to the publish page, a site
    page with the one "Publish" button."""
    from .desk import report_of

    synthesis = _visible(request, pk)
    if not report_of(synthesis):
        raise Http404("This run has no report")
    if not request.user.has_perm("syntheses.publish_synthesis", synthesis):
        return redirect("syntheses:report", pk=synthesis.pk)
    bars = {where: render_to_string("syntheses/_review_bar.html", {"synthesis": synthesis, "where": where})
            for where in ("top", "bottom")}
    html = review_page(synthesis.report_html, render_to_string("syntheses/_review_style.html"), bars["top"],
                       bars["bottom"])
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = REPORT_CSP
    return response


def review_page(report_html: str, style: str, top: str, bottom: str) -> str:
    """The report with ``style`` in its head and the bars first and last in its body."""
    head_end = re.search(r"</head\s*>", report_html, re.I)
    if head_end:
        report_html = report_html[:head_end.start()] + style + report_html[head_end.start():]
    else:
        top = style + top
    body = re.search(r"<body\b[^>]*>", report_html, re.I)
    at = body.end() if body else 0
    report_html = report_html[:at] + top + report_html[at:]
    body_end = [m.start() for m in re.finditer(r"</body\s*>", report_html, re.I)]
    at = body_end[-1] if body_end else len(report_html)
    return report_html[:at] + bottom + report_html[at:]


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


@require_POST
def start_process_synthesis(request, slug):
    process = get_object_or_404(Process, slug=slug)
    require(request, "syntheses.run_synthesis", process)
    return _start(request, process=process)


def _start(request, **scope):
    try:
        synthesis = services.start_synthesis(**scope, by=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("dashboards:secretariat")
    messages.success(request, _("Version %(version)s is queued: the worker will run it.") % {"version": synthesis.version})
    return redirect("syntheses:detail", pk=synthesis.pk)


@require_http_methods(["GET", "POST"])
def publish(request, pk):
    """GET: the page that asks to confirm (the review bars link here); POST: publish the draft."""
    synthesis = _visible(request, pk)
    require(request, "syntheses.publish_synthesis", synthesis)
    if request.method == "GET":
        return render(request, "syntheses/publish_confirm.html", {"synthesis": synthesis})
    try:
        services.publish_synthesis(synthesis, by=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Version %(version)s is published.") % {"version": synthesis.version})
    return redirect("syntheses:detail", pk=synthesis.pk)


# ---------------------------------------------------------------------------------- the rapporteur's desk
DESK_FIELDS = {  # the form fields each edit takes (``rapporteur.edits``)
    "relabel": ("key_point", "point", "words", "text"), "merge": ("key_point", "other"), "move": ("point", "to"),
    "drop": ("key_point",), "promote": ("point", "key_point"), "dismiss": ("item",), "note": ("item", "text"),
    "mark": ("kind", "key_point", "against"), "reorder": ("list", "item"),
}


def desk(request, pk):
    """The draft synthesis at the rapporteur's desk: every key point with its quotes, each act in place."""
    synthesis = _visible(request, pk)
    require(request, "syntheses.revise_synthesis", synthesis)
    return render(request, "syntheses/desk.html", _desk_context(request, synthesis))


def _desk_context(request, synthesis, error: str = "", done: str = "") -> dict:
    from . import desk as desk_services

    document = desk_services.document(synthesis)
    listed = {c.key_point for c in document.convergence}
    by_id = {p.id: p for p in document.points or []}
    return {
        "synthesis": synthesis, "document": document, "seen": desk_services.revision_number(synthesis),
        "listed": listed, "error": error, "done": done,
        "unassigned": [by_id[pid] for pid in document.unclustered_point_ids[:80] if pid in by_id],
        "more_unassigned": max(len(document.unclustered_point_ids) - 80, 0),
        "minority": [k for k in document.key_points if k.minority and k.id not in listed],
        # every select that names a key point offers them all: rendered once, not once per quote
        "key_point_options": format_html_join("", '<option value="{}">{}: {}</option>',
                                              ((k.id, k.id, Truncator(k.label).chars(60)) for k in document.key_points)),
        "can_publish": request.user.has_perm("syntheses.publish_synthesis", synthesis),
    }


@require_POST
def desk_edit(request, pk):
    """One edit (``desk.apply_edit``) or an undo; with htmx the desk's body comes back, else the page."""
    from . import desk as desk_services

    synthesis = _visible(request, pk)
    require(request, "syntheses.revise_synthesis", synthesis)
    do = request.POST.get("do", "")
    try:
        seen = int(request.POST.get("seen", ""))
    except ValueError:
        seen = -1
    status, error, done = 200, "", ""
    try:
        if do == "undo":
            synthesis = desk_services.undo(synthesis, seen=seen, by=request.user)
            done = _("The last edit is undone.")
        elif do in DESK_FIELDS:
            synthesis = desk_services.apply_edit(synthesis, _edit_of(do, request.POST), seen=seen, by=request.user)
            done = _("Done: %(edit)s. The figures are recomputed.") % {"edit": do}
        else:
            raise desk_services.DeskError(_("Unknown act %(do)r.") % {"do": do})
    except desk_services.DeskError as refused:
        status, error = (409 if refused.stale else 400), " ".join(refused.messages)
        synthesis = Synthesis.objects.get(pk=synthesis.pk)
    if not request.headers.get("HX-Request"):
        (messages.error if error else messages.success)(request, error or done)
        return redirect("syntheses:desk", pk=synthesis.pk)
    return render(request, "syntheses/_desk.html", _desk_context(request, synthesis, error, done), status=status)


def _edit_of(do: str, form) -> dict:
    """The edit a desk form describes, in the engine's terms."""
    value = {name: form.get(name, "").strip() for name in DESK_FIELDS[do]}
    if do == "merge":
        return {"do": do, "key_points": [value["key_point"], value["other"]]}
    if do == "move":
        return {"do": do, "point": value["point"], "to": value["to"] or None}
    if do == "reorder":
        return {"do": do, "list": value["list"], "order": [value["item"]]}
    if do == "relabel" and value["text"]:
        return {"do": do, "key_point": value["key_point"], "text": value["text"]}
    if do == "mark":
        kind = value["kind"] or "opposed"
        return {"do": do, "kind": kind, "key_point": value["key_point"],
                **({"against": value["against"]} if kind == "opposed" else {})}
    return {"do": do, **{k: v for k, v in value.items() if v}}


@require_POST
def new_version_to_edit(request, pk):
    """A published session synthesis, frozen, continued as a new draft version (its text analysis and its
    revision reused, no engine run) that the rapporteur's desk can edit."""
    synthesis = _visible(request, pk)
    require(request, "syntheses.run_synthesis", synthesis.scope)
    if synthesis.session is None or synthesis.status != Synthesis.Status.PUBLISHED:
        messages.error(request, _("Only a published synthesis of a session is continued as a new version."))
        return redirect("syntheses:detail", pk=synthesis.pk)
    return _start(request, session=synthesis.session, based_on=synthesis)
