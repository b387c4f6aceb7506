from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapporteur.web.core.http import require
from rapporteur.web.processes.models import Process

from . import selectors, services
from .forms import CompareForm, DraftForm
from .models import DraftVersion


def _visible(request, slug: str, number: int) -> DraftVersion:
    version = get_object_or_404(DraftVersion.objects.select_related("process"), process__slug=slug, number=number)
    if not request.user.has_perm("drafts.view_draftversion", version):
        raise Http404("No such draft")  # an unpublished draft is not shown to exist
    return version


def draft_list(request, slug):
    process = get_object_or_404(Process, slug=slug)
    can_upload = request.user.has_perm("drafts.add_draftversion", process)
    form = DraftForm() if can_upload else None
    if request.method == "POST":
        require(request, "drafts.add_draftversion", process)
        form = DraftForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                version = services.upload_draft(
                    process, text=form.checked_document.text, file_name=request.FILES["document"].name,
                    title=form.cleaned_data["title"], dated=form.cleaned_data["dated"], by=request.user)
            except ValidationError as error:
                form.add_error("document", error)
            else:
                messages.success(request, _("Draft %(number)s uploaded: its coverage is being read.") % {"number": version.number})
                return redirect("drafts:detail", slug=process.slug, number=version.number)
    drafts = list(selectors.drafts_of(process, request.user))
    for d in drafts:
        d.reflected_count = sum(k["reflected"] for k in (d.coverage or {}).get("key_points", []))
    return render(request, "drafts/draft_list.html", {"process": process, "drafts": drafts, "form": form,
                                                      "can_upload": can_upload})


def draft_detail(request, slug, number):
    version = _visible(request, slug, number)
    coverage = version.coverage or {}
    key_points = {k["id"]: k for k in coverage.get("key_points", [])}
    return render(request, "drafts/draft_detail.html", {
        "version": version, "process": version.process, "coverage": coverage,
        "missing": [key_points[m] for m in coverage.get("missing", [])],
        "generic": [key_points[g] for g in coverage.get("generic", [])],
        "can_publish": request.user.has_perm("drafts.publish_draftversion", version),
    })


@require_POST
def draft_publish(request, slug, number):
    version = get_object_or_404(DraftVersion, process__slug=slug, number=number)
    require(request, "drafts.publish_draftversion", version)
    try:
        services.publish(version)
        messages.success(request, _("Draft %(number)s and its coverage are public.") % {"number": version.number})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("drafts:detail", slug=slug, number=number)


def draft_compare(request, slug):
    process = get_object_or_404(Process, slug=slug)
    form = CompareForm(request.GET)
    if not form.is_valid():
        raise Http404(_("Choose two drafts to compare"))
    older = _visible(request, slug, form.cleaned_data["older"])
    newer = _visible(request, slug, form.cleaned_data["newer"])
    return render(request, "drafts/draft_compare.html", {"process": process, "older": older, "newer": newer,
                                                         "change": services.compare(older, newer)})
