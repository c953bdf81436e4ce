from django import forms

from nhsuk.forms import NHSFormHelperMixin
from reports.pdf.models import COMMENTARY_MAX_LENGTH


class QuarterlyCommentaryForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Save the commentary"
    text = forms.CharField(
        label="Commentary on the quarter",
        required=False,
        max_length=COMMENTARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "Printed in the report for the commissioner: what the figures show, what changed, what is planned. "
            "Leave a blank line between paragraphs. Name no family: the report goes outside the service."
        ),
        error_messages={"max_length": "Keep the commentary to %(limit_value)d characters or fewer"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class QuarterlyFinaliseForm(NHSFormHelperMixin, forms.Form):
    submit_label = "Mark the report final and issue it"
    version = forms.IntegerField(widget=forms.HiddenInput)
