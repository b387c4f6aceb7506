from django import forms

from .services import MAX_STATEMENT_CHARS


class OpenRoundForm(forms.Form):
    synthesis = forms.ModelChoiceField(queryset=None, label="Key points of", empty_label=None)
    title = forms.CharField(label="Title (optional)", max_length=300, required=False)
    max_key_points = forms.IntegerField(label="Key points to put to the vote (at most)", min_value=1, max_value=200,
                                        initial=30)
    accepts_statements = forms.BooleanField(label="Participants may add statements (moderated before they are shown)",
                                            required=False, initial=True)

    def __init__(self, *args, syntheses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["synthesis"].queryset = syntheses
        self.fields["synthesis"].label_from_instance = lambda s: f"version {s.version} ({s.get_status_display()})"


class StatementForm(forms.Form):
    text = forms.CharField(label="Your statement", max_length=MAX_STATEMENT_CHARS,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_STATEMENT_CHARS}),
                           help_text=f"One idea others can agree or disagree with, at most {MAX_STATEMENT_CHARS} characters. "
                                     "A moderator reads it before it is shown.")


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Accept"), ("reject", "Reject")], widget=forms.RadioSelect)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ImportRoundForm(forms.Form):
    export = forms.FileField(label="Pol.is export (a ZIP of the folder: comments.csv, votes.csv, …)")
    participants = forms.FileField(label="Participants CSV (optional: participant, type, country or region)",
                                   required=False)
    title = forms.CharField(label="Title (optional)", max_length=300, required=False)
