from django.db import migrations

SERVICES = [
    ("health_visiting", "Health visiting"),
    ("midwifery", "Midwifery"),
    ("gp", "GP"),
    ("social_care", "Children's social care"),
    ("perinatal_mental_health", "Perinatal mental health"),
    ("adult_mental_health", "Adult mental health"),
    ("camhs", "CAMHS"),
    ("family_hub", "Family hub"),
    ("neonatal_unit", "Neonatal unit"),
    ("paediatrics", "Paediatrics"),
    ("early_years_setting", "Early years setting"),
    ("speech_and_language", "Speech and language therapy"),
    ("infant_feeding", "Infant feeding"),
    ("voluntary_sector", "Voluntary sector"),
    ("self", "Self-referral"),
    ("other", "Other"),
]


def seed(apps, schema_editor):
    Service = apps.get_model("pairs", "Service")
    for order, (code, label) in enumerate(SERVICES, start=1):
        Service.objects.update_or_create(code=code, defaults={"label": label, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("pairs", "0002_service")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
