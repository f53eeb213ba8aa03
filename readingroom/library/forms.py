from django import forms

from .models import Source


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    # Empty files pass the form so that the importer reports them by name with the rest.
    files = MultipleFileField(  # type: ignore[assignment]  # a field named like BaseForm.files
        allow_empty_file=True,
        help_text="Plain text (.txt), Markdown (.md) or saved web pages (.html); several at once.",
    )
    source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        required=False,
        empty_label="Work it out from each file",
        help_text="File every document under this publication instead.",
    )
