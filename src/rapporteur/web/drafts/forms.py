from django import forms
from django.conf import settings

from rapporteur.web.core.uploads import CheckedDocumentMixin, size_label


class DraftForm(CheckedDocumentMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=300, help_text="For instance: Zero draft, or Revision 2.")
    dated = forms.DateField(label="Date of the draft", widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(label="The draft (PDF, Word .docx or plain text)",
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.txt,.md"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = (
            f"Up to {size_label(settings.RAPPORTEUR_MAX_UPLOAD_BYTES)}. Its numbered paragraphs, objectives or "
            "headings are found and shown, so you can check the split.")


class CompareForm(forms.Form):
    older = forms.IntegerField(min_value=1)
    newer = forms.IntegerField(min_value=1)
