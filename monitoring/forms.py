from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from monitoring.schema import FILES
from monitoring.sources import limit, too_large_message, unknown_files_message, workbook_unpacked_message
from nhsuk.fields import date_field
from nhsuk.forms import NHSFormHelperMixin
from pairs.periods import Period

ACCEPTED_NAMES = ", ".join(spec.name for spec in FILES)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class MonitoringUploadForm(forms.Form):
    # A declared field: the form's metaclass takes it off the class, so it does not stand for BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Monitoring files",
        help_text=f"One .xlsx workbook, or one or more of the CSV files {ACCEPTED_NAMES}.",
        error_messages={"required": "Choose the monitoring files to import"},
    )
    dry_run = forms.BooleanField(
        label="Check only: show what would be created, updated and left unchanged, and write nothing",
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", "Import"))

    def clean_files(self):
        files = self.cleaned_data["files"]
        names = [file.name for file in files]
        workbooks = [name for name in names if name.lower().endswith(".xlsx")]
        if workbooks and len(files) > 1:
            raise forms.ValidationError("Upload one workbook on its own, or CSV files without a workbook")
        unknown = [name for name in names if name.lower() not in {spec.name for spec in FILES} and not workbooks]
        if unknown:
            raise forms.ValidationError(unknown_files_message(unknown, [spec.name for spec in FILES]))
        if len(set(n.lower() for n in names)) != len(names):
            raise forms.ValidationError("Each file can be uploaded once")
        if too_large := [file for file in files if file.size > limit("MONITORING_MAX_FILE_BYTES")]:
            raise forms.ValidationError(
                "; ".join(f"{file.name}: {too_large_message(file.size)}" for file in too_large).capitalize()
            )
        # Before the page counts a workbook's rows to choose between importing now and in the background.
        for workbook in (file for file in files if file.name.lower().endswith(".xlsx")):
            message = workbook_unpacked_message(workbook)
            workbook.seek(0)
            if message:
                raise forms.ValidationError(f"{workbook.name}: {message}")
        return files


class MonitoringExportForm(NHSFormHelperMixin, forms.Form):
    """What to export: the records of a period, or all of them, as a zip of the CSV files or one workbook."""

    submit_label = "Download"
    start = date_field("Start date", required=False, help_text="Leave both dates blank for every record.")
    end = date_field("End date", required=False, help_text="For example, 31 3 2025")
    file_format = forms.ChoiceField(
        label="Format",
        choices=[
            ("csv", f"A zip of the CSV files ({ACCEPTED_NAMES})"),
            ("xlsx", "One Excel workbook, a sheet for each file"),
        ],
        initial="csv",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the format"},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if (start is None) != (end is None) and not self.errors:
            self.add_error("end" if end is None else "start", "Enter both dates, or leave both blank")
        elif start and end and end < start:
            self.add_error("end", "The end date cannot be before the start date")
        return cleaned

    @property
    def period(self) -> Period | None:
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        return Period(start, end) if start and end else None
