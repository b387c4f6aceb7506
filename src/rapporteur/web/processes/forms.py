from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Session


class SessionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Session.Status.choices, label=_("New status"))
    contributions_deadline = forms.DateTimeField(
        required=False, label=_("Deadline for contributions (UTC, optional)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["status"].choices = [(s.value, s.label) for s in allowed]
        # nothing chosen until the secretariat chooses: one stray click must not change a session's status
        self.fields["status"].choices = [("", _("— choose a status —")), *self.fields["status"].choices]
