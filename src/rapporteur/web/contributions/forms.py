from django import forms

from rapporteur.web.core.uploads import check_document


class ContributionForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label="On behalf of", empty_label=None)
    title = forms.CharField(label="Title (optional)", max_length=300, required=False)
    text = forms.CharField(
        label="Statement", required=False, max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Type or paste the statement, or upload it as a document below (or both).",
    )
    document = forms.FileField(
        label="Document (PDF, Word .docx or plain text)", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.txt,.md"}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.checked_document = None

    def clean_document(self):
        uploaded = self.cleaned_data.get("document")
        if uploaded:
            self.checked_document = check_document(uploaded)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("text") or "").strip() and self.checked_document is None \
                and not getattr(self, "has_existing_document", False):
            raise forms.ValidationError("Write the statement or upload a document (or both).")
        return cleaned


class ContributionEditForm(ContributionForm):
    remove_document = forms.BooleanField(label="Remove the uploaded document", required=False)

    def __init__(self, *args, has_existing_document=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_existing_document = has_existing_document
        del self.fields["organisation"]
        if not has_existing_document:
            del self.fields["remove_document"]


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Publish"), ("reject", "Reject")], widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason (required to reject)", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(forms.Form):
    statements = forms.FileField(
        label="Statements: a CSV, or a ZIP of a folder of .txt/.md/.pdf/.docx files",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.zip"}),
    )
    meta = forms.FileField(
        label="Metadata CSV for a folder (optional: file, stakeholder, type, country)", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )
