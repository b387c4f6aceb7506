from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _

from .services import MAX_STATEMENT_CHARS


class OpenRoundForm(forms.Form):
    synthesis = forms.ModelChoiceField(queryset=None, label=_("Key points of"), empty_label=None)
    title = forms.CharField(label=_("Title (optional)"), max_length=300, required=False)
    max_key_points = forms.IntegerField(label=_("Key points to put to the vote (at most)"), min_value=1, max_value=200,
                                        initial=30)
    accepts_statements = forms.BooleanField(label=_("Participants may add statements (moderated before they are shown)"),
                                            required=False, initial=True)

    def __init__(self, *args, syntheses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["synthesis"].queryset = syntheses
        self.fields["synthesis"].label_from_instance = lambda s: gettext("version %(version)s (%(status)s)") % {
            "version": s.version, "status": s.get_status_display()}


class StatementForm(forms.Form):
    text = forms.CharField(label=_("Your statement"), max_length=MAX_STATEMENT_CHARS,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_STATEMENT_CHARS}),
                           help_text=format_lazy(_("One idea others can agree or disagree with, at most {n} characters. "
                                                   "A moderator reads it before it is shown."), n=MAX_STATEMENT_CHARS))


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Accept")), ("reject", _("Reject"))], widget=forms.RadioSelect)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ImportRoundForm(forms.Form):
    export = forms.FileField(label=_("Pol.is export (a ZIP of the folder: comments.csv, votes.csv, …)"))
    participants = forms.FileField(label=_("Participants CSV (optional: participant, type, country or region)"),
                                   required=False)
    title = forms.CharField(label=_("Title (optional)"), max_length=300, required=False)
