from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_lazy as _

from rapporteur.web.core.uploads import CheckedDocumentMixin, size_label


class DraftForm(CheckedDocumentMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, help_text=_("For instance: Zero draft, or Revision 2."))
    dated = forms.DateField(label=_("Date of the draft"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(label=_("The draft (PDF, Word .docx or plain text)"),
                               widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.txt,.md"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = gettext(
            "Up to %(size)s. Its numbered paragraphs, objectives or "
            "headings are found and shown, so you can check the split.") % {
                "size": size_label(settings.RAPPORTEUR_MAX_UPLOAD_BYTES)}


class CompareForm(forms.Form):
    older = forms.IntegerField(min_value=1)
    newer = forms.IntegerField(min_value=1)
