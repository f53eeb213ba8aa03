from django import forms

from .models import Source


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        files = [single(item, initial) for item in data] if isinstance(data, (list, tuple)) else [single(data, initial)]
        return [file for file in files if file]


class ImportForm(forms.Form):
    # Empty files pass the form so that the importer reports them by name with the rest.
    files = MultipleFileField(  # type: ignore[assignment]  # a field named like BaseForm.files
        allow_empty_file=True,
        required=False,
        help_text="Plain text (.txt), Markdown (.md) or saved web pages (.html); several at once.",
    )
    urls = forms.CharField(
        label="Web pages",
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "https://…"}),
        help_text="Addresses of articles to fetch, one a line. A page fetched again whose text changed becomes a new revision.",
    )
    source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        required=False,
        empty_label="Work it out from each file",
        help_text="File every document under this publication instead.",
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("files") and not (cleaned.get("urls") or "").strip():
            raise forms.ValidationError("Choose files to upload or paste web addresses (or both).")
        return cleaned


class UrlImportForm(forms.Form):
    urls = forms.CharField(
        label="Import web pages",
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://… (one address a line)"}),
    )
