from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapporteur.web.core.http import require

from . import selectors, services
from .forms import ECOSOC_CHOICES, AccreditationDecisionForm, AccreditationRequestForm, EcosocStatusForm
from .models import Organisation


def request_accreditation(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    require(request, "organisations.request_accreditation", organisation)
    form = AccreditationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_accreditation(organisation, form.cleaned_data["justification"])
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("Your request for special accreditation was sent to the secretariat."))
            return redirect("dashboards:delegate")
    return render(request, "organisations/request_accreditation.html", {"organisation": organisation, "form": form})


@require_POST
def decide_accreditation(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    require(request, "organisations.decide_accreditation", organisation)
    form = AccreditationDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_accreditation(
                organisation, approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"], by=request.user,
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            organisation.refresh_from_db()
            messages.success(request, f"{organisation.name}: {organisation.get_accreditation_display()}.")
    else:
        messages.error(request, _("Choose approve or reject."))
    return redirect("dashboards:secretariat")


def organisation_list(request):
    """Every organisation, with its accreditation and ECOSOC status (the secretariat sets it here)."""
    require(request, "organisations.set_ecosoc_status")
    return render(request, "organisations/organisation_list.html", {
        "organisations": selectors.organisations_for_secretariat(), "ecosoc_choices": ECOSOC_CHOICES,
    })


@require_POST
def set_ecosoc_status(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    require(request, "organisations.set_ecosoc_status", organisation)
    form = EcosocStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{organisation.name}: " + " ".join(form.errors["ecosoc_status"]))
    else:
        try:
            services.set_ecosoc_status(organisation, form.cleaned_data["ecosoc_status"], by=request.user)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            organisation.refresh_from_db()
            messages.success(request, _("%(name)s: ECOSOC status %(status)s; accreditation %(accreditation)s.") % {
                "name": organisation.name, "status": organisation.get_ecosoc_status_display(),
                "accreditation": organisation.get_accreditation_display()})
    if request.POST.get("next") == "secretariat":
        return redirect("dashboards:secretariat")
    return redirect("organisations:list")
