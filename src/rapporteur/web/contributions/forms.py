from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy as _

from rapporteur.web.core.uploads import CheckedDocumentMixin, size_label


class ContributionForm(CheckedDocumentMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("On behalf of"), empty_label=None)
    title = forms.CharField(label=_("Title (optional)"), max_length=300, required=False)
    text = forms.CharField(
        label=_("Statement"), required=False, max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Type or paste the statement, or upload it as a document below (or both)."),
    )
    document = forms.FileField(
        label=_("Document (PDF, Word .docx or plain text)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.txt,.md"}),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["document"].help_text = gettext(
            "Up to %(size)s. Recognised by its content, not its name: "
            "web pages and other markup (HTML, XML, SVG) are refused."
        ) % {"size": size_label(settings.RAPPORTEUR_MAX_UPLOAD_BYTES)}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("text") or "").strip() and self.checked_document is None \
                and not getattr(self, "has_existing_document", False):
            self.add_error("text", gettext("Write the statement or upload a document (or both)."))
        return cleaned


class ContributionEditForm(ContributionForm):
    remove_document = forms.BooleanField(label=_("Remove the uploaded document"), required=False)

    def __init__(self, *args, has_existing_document=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_existing_document = has_existing_document
        del self.fields["organisation"]
        if not has_existing_document:
            del self.fields["remove_document"]


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Publish")), ("reject", _("Reject"))], widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (required to reject)"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(forms.Form):
    statements = forms.FileField(
        label=_("Statements: a CSV, or a ZIP of a folder of .txt/.md/.pdf/.docx files"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.zip"}),
    )
    meta = forms.FileField(
        label=_("Metadata CSV for a folder (optional: file, stakeholder, type, country)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )


class _ItemKeys(forms.MultipleChoiceField):
    """The moderation queue's item keys ("contribution-12", "statement-7"): the service checks them."""

    def valid_value(self, value) -> bool:
        return True


class BulkModerationForm(forms.Form):
    """The moderation queue's one action bar: the items ticked, publish or reject, one reason."""

    items = _ItemKeys(required=False)
    action = forms.ChoiceField(choices=[("publish", _("Publish selected")), ("reject", _("Reject selected"))])
    reason = forms.CharField(required=False, max_length=5000)

    def clean(self):
        data = super().clean()
        if not data.get("items"):
            raise forms.ValidationError(gettext("Select at least one item."))
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            raise forms.ValidationError(gettext("A rejection needs a reason: it is stored on every rejected item."))
        return data
