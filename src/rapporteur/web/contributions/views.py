import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from rapporteur.errors import InputError
from rapporteur.web.core.http import require
from rapporteur.web.core.roles import is_delegate, is_secretariat
from rapporteur.web.core.uploads import KINDS, save_import_upload, save_meta_upload
from rapporteur.web.organisations import selectors as organisation_selectors
from rapporteur.web.processes.models import Session

from . import selectors, services
from .forms import BulkModerationForm, ContributionEditForm, ContributionForm, ImportForm, ModerationForm
from .models import Contribution


def _contribution(pk) -> Contribution:
    try:
        return selectors.contribution_detail(pk)
    except Contribution.DoesNotExist:
        raise Http404("No such contribution") from None


def contribution_detail(request, pk):
    contribution = _contribution(pk)
    if not request.user.has_perm("contributions.view_contribution", contribution):
        raise Http404("No such contribution")  # drafts of others do not exist, as far as you know
    return render(request, "contributions/contribution_detail.html", {
        "contribution": contribution,
        "can_edit": request.user.has_perm("contributions.change_contribution", contribution),
        "can_moderate": request.user.has_perm("contributions.moderate_contribution", contribution),
        "moderation_form": ModerationForm(),
    })


def contribution_key_points(request, pk):
    """The key points of the session's latest published synthesis that this statement makes (the
    matcher's reading); a fragment for htmx, a page of its own without JavaScript."""
    from rapporteur.web.syntheses import matching

    contribution = _contribution(pk)
    if not request.user.has_perm("contributions.view_contribution", contribution):
        raise Http404("No such contribution")
    synthesis, made = matching.for_contribution(contribution)
    template = ("contributions/_key_points.html" if request.headers.get("HX-Request")
                else "contributions/key_points_page.html")
    return render(request, template, {"contribution": contribution, "synthesis": synthesis, "made": made})


def contribution_document(request, pk):
    contribution = _contribution(pk)
    if not request.user.has_perm("contributions.view_contribution", contribution) or not contribution.document:
        raise Http404("No such document")
    response = FileResponse(
        contribution.document.open("rb"), as_attachment=True,
        filename=contribution.document_name or f"contribution-{pk}.{contribution.document_kind}",
        content_type=KINDS.get(contribution.document_kind, "application/octet-stream"),
    )
    response["Content-Security-Policy"] = "sandbox"
    return response


def _closed_to_contributions(request, session):
    """What a delegate sees on a session that takes no contribution: why, and since when (403)."""
    return render(request, "contributions/closed.html", {"session": session}, status=403)


def _read_as(form) -> str:
    """" statement.txt was read as windows-1252 text." for an uploaded plain text, else ""."""
    document, upload = form.checked_document, form.cleaned_data.get("document")
    if document is None or not document.encoding:
        return ""
    return " " + _("%(name)s was read as %(encoding)s text.") % {"name": upload.name, "encoding": document.encoding}


def _form_page(request, form, session, organisations, contribution=None):
    """The contribution form, with what stops an organisation from submitting (before anyone writes)."""
    blocked = [o for o in organisations if not o.may_submit]
    return render(request, "contributions/contribution_form.html", {
        "form": form, "session": session, "contribution": contribution,
        "blocked": blocked, "may_submit": len(blocked) < len(organisations),
    })


def contribution_create(request, session_pk):
    session = get_object_or_404(Session.objects.select_related("phase__process"), pk=session_pk)
    if is_delegate(request.user) and not session.accepts_contributions:
        return _closed_to_contributions(request, session)
    require(request, "contributions.add_contribution", session)
    organisations = organisation_selectors.organisations_of(request.user)
    form = ContributionForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("document")
        try:
            contribution = services.create_contribution(
                user=request.user, session=session, organisation=form.cleaned_data["organisation"],
                title=form.cleaned_data["title"], text=form.cleaned_data["text"],
                document=form.checked_document, document_name=upload.name if upload else "",
                submit="save_draft" not in request.POST,
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("Your contribution is %(state)s.") % {"state": contribution.get_state_display()}
                             + _read_as(form))
            return redirect("dashboards:delegate")
    return _form_page(request, form, session, list(organisations))


def contribution_edit(request, pk):
    contribution = _contribution(pk)
    if not request.user.has_perm("contributions.view_contribution", contribution):
        raise Http404("No such contribution")
    if not contribution.session.accepts_contributions and request.user.has_perm(
            "organisations.act_for_organisation", contribution.organisation):
        return _closed_to_contributions(request, contribution.session)
    require(request, "contributions.change_contribution", contribution)
    form = ContributionEditForm(
        request.POST or None, request.FILES or None, organisations=None,
        has_existing_document=bool(contribution.document),
        initial={"title": contribution.title, "text": contribution.text},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("document")
        try:
            contribution = services.update_contribution(
                contribution, user=request.user, title=form.cleaned_data["title"],
                text=form.cleaned_data["text"], document=form.checked_document,
                document_name=upload.name if upload else "",
                remove_document=form.cleaned_data.get("remove_document", False),
                submit="submit" in request.POST,
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("Saved. Your contribution is %(state)s.") % {
                "state": contribution.get_state_display()} + _read_as(form))
            return redirect("dashboards:delegate")
    return _form_page(request, form, contribution.session, [contribution.organisation], contribution)


def moderation_queue(request):
    """Contributions and round statements awaiting moderation, in one list with one action bar."""
    require(request, "contributions.view_moderation_queue")
    return render(request, "contributions/moderation_queue.html", {
        "items": selectors.moderation_items(show_authors=is_secretariat(request.user)),
        "select_all": request.GET.get("all") == "1",
    })


@require_POST
def moderate_selected(request):
    """Publish or reject the items ticked in the queue; each is checked against the user's permission."""
    require(request, "contributions.view_moderation_queue")
    form = BulkModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()) or _("Choose publish or reject."))
    else:
        approve = form.cleaned_data["action"] == "publish"
        try:
            outcome = services.moderate_selected(form.cleaned_data["items"], approve=approve,
                                                 reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            done = {"n": len(outcome.done), "items": ", ".join(outcome.done)}
            if outcome.done:
                messages.success(request, (_("Published %(n)s: %(items)s.") if approve else _("Rejected %(n)s: %(items)s."))
                                 % done)
            if outcome.refused:
                messages.error(request, (_("Not published:") if approve else _("Not rejected:")) + " "
                               + " ".join(outcome.refused))
    if request.POST.get("next") == "secretariat":
        return redirect("dashboards:secretariat")
    return redirect("contributions:moderation")


@require_POST
def moderate(request, pk):
    contribution = _contribution(pk)
    require(request, "contributions.moderate_contribution", contribution)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.moderate_contribution(
                contribution, approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"], by=request.user,
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            contribution.refresh_from_db()
            messages.success(request, _("“%(title)s” is %(state)s.") % {
                "title": contribution.display_title, "state": contribution.get_state_display()})
    else:
        messages.error(request, _("Choose publish or reject."))
    if request.POST.get("next") == "secretariat":
        return redirect("dashboards:secretariat")
    return redirect("contributions:moderation")


def import_into_session(request, session_pk):
    session = get_object_or_404(Session.objects.select_related("phase__process"), pk=session_pk)
    require(request, "contributions.import_contributions", session)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        with tempfile.TemporaryDirectory(prefix="rapporteur-import-") as tmp:
            try:
                path = save_import_upload(form.cleaned_data["statements"], Path(tmp))
                meta = form.cleaned_data.get("meta")
                meta_path = save_meta_upload(meta, Path(tmp)) if meta else None
                report = services.import_contributions(session, path, meta=meta_path, by=request.user)
            except ValidationError as err:
                form.add_error("statements", err)
            except InputError as err:
                form.add_error("statements", f"{Path(err.source).name}: {err.reason}")
        if report is not None:
            messages.success(request, ngettext("Imported %(n)s contribution.", "Imported %(n)s contributions.",
                                               len(report.created)) % {"n": len(report.created)})
    return render(request, "contributions/import_form.html", {"form": form, "session": session, "report": report})
