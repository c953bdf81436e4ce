from pairs.widgets import DateInput


class CompactDateInput(DateInput):
    """The NHS.UK date input for a table row: the same three boxes, their labels for screen readers only.

    The row's own label (a legend naming the row) comes from the table around it.
    """

    template_name = "training/widgets/compact_date_input.html"
