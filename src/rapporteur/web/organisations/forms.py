from django import forms


class AccreditationRequestForm(forms.Form):
    justification = forms.CharField(
        label="Why does your organisation ask to take part?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )


class AccreditationDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason (required to reject)", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ECOSOC_CHOICES = [("general", "General"), ("special", "Special"), ("roster", "Roster"), ("", "None")]


class EcosocStatusForm(forms.Form):
    """One select that sets an organisation's ECOSOC status and the accreditation it gives."""

    ecosoc_status = forms.ChoiceField(
        label="ECOSOC consultative status", required=False,
        choices=ECOSOC_CHOICES,
    )
