"""Seeds the vocabularies of domain.md with the spec's codes. Hold and decline reasons are local defaults (the spec
names none); administrators extend every list in the admin."""

from django.db import migrations

COMPLEXITIES = [
    ("parental_mental_health", "Parental mental health"),
    ("domestic_abuse", "Domestic abuse"),
    ("perinatal_loss_or_trauma", "Perinatal loss or trauma"),
    ("substance_misuse", "Substance misuse"),
    ("childrens_services_involvement", "Children's services involvement"),
    ("care_experienced_parent", "Care-experienced parent"),
    ("parental_trauma", "Parental trauma"),
    ("bereavement", "Bereavement"),
    ("physical_health", "Physical health"),
    ("learning_disability", "Learning disability"),
    ("housing_or_poverty", "Housing or poverty"),
    ("refugee_or_asylum", "Refugee or asylum seeker"),
    ("neonatal_unit_stay", "Neonatal unit stay"),
    ("language_barrier", "Language barrier"),
]
DISENGAGEMENT_REASONS = [
    ("childcare", "Childcare"),
    ("waiting_time", "Waiting time"),
    ("moved_away", "Moved away"),
    ("not_ready", "Not ready to engage"),
    ("unable_to_contact", "Unable to contact"),
    ("needs_met_elsewhere", "Needs met elsewhere"),
    ("other", "Other"),
]
HOLD_REASONS = [
    ("family_request", "At the family's request"),
    ("service_request", "At the service's request"),
    ("health", "Illness or hospital stay"),
    ("other", "Other"),
]
DECLINE_REASONS = [
    ("outside_criteria", "Does not meet the service's criteria"),
    ("outside_area", "Lives outside the service's area"),
    ("needs_met_elsewhere", "Needs better met by another service"),
    ("no_consent", "Family did not consent"),
    ("other", "Other"),
]
THRIVE_LEVELS = [
    ("thriving", "Thriving"),
    ("getting_advice", "Getting advice"),
    ("getting_help", "Getting help"),
    ("getting_more_help", "Getting more help"),
    ("getting_risk_support", "Getting risk support"),
]
VOCABULARIES = {
    "Complexity": COMPLEXITIES,
    "DisengagementReason": DISENGAGEMENT_REASONS,
    "HoldReason": HOLD_REASONS,
    "DeclineReason": DECLINE_REASONS,
    "ThriveLevel": THRIVE_LEVELS,
}


def seed(apps, schema_editor):
    for model_name, entries in VOCABULARIES.items():
        model = apps.get_model("referrals", model_name)
        for order, (code, label) in enumerate(entries, start=1):
            model.objects.update_or_create(code=code, defaults={"label": label, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_casework")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
