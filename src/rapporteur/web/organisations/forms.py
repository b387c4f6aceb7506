from django import forms
from django.utils.translation import gettext_lazy as _


class AccreditationRequestForm(forms.Form):
    justification = forms.CharField(
        label=_("Why does your organisation ask to take part?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )


class AccreditationDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (required to reject)"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ECOSOC_CHOICES = [("general", _("General")), ("special", _("Special")), ("roster", _("Roster")), ("", _("None"))]


class EcosocStatusForm(forms.Form):
    """One select that sets an organisation's ECOSOC status and the accreditation it gives."""

    ecosoc_status = forms.ChoiceField(
        label=_("ECOSOC consultative status"), required=False,
        choices=ECOSOC_CHOICES,
    )
