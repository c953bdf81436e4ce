"""More reason codes.

Hold reasons gain `childcare` and `not_ready`, which families give for pausing as well as for stopping (monitoring
spreadsheets record them for holds). Every reason list gains `not_recorded`, retired: historical imports whose rows
carry no reason use it, and the browser never offers it, so a practitioner always gives a real reason.
"""

from django.db import migrations

HOLD_REASONS = [("childcare", "Childcare", 5), ("not_ready", "Not ready to engage now", 6)]
NOT_RECORDED = ("not_recorded", "Not recorded (imported)", 999)


def seed(apps, schema_editor):
    HoldReason = apps.get_model("referrals", "HoldReason")
    for code, label, order in HOLD_REASONS:
        HoldReason.objects.update_or_create(code=code, defaults={"label": label, "sort_order": order})
    for model_name in ("DeclineReason", "DisengagementReason", "HoldReason"):
        code, label, order = NOT_RECORDED
        apps.get_model("referrals", model_name).objects.update_or_create(
            code=code, defaults={"label": label, "sort_order": order, "is_active": False}
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_infant_version")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
