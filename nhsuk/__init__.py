"""The NHS.UK design-system kit: widgets, form helpers, template tags and the crispy-forms template pack `nhsuk`.

The ground floor of the house: it imports Django, crispy-forms and django-tables2, never an app of the project.
"""
