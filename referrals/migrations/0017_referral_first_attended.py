from django.conf import settings
from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone

# Each referral's first attended appointment's day on the service's clock. PostgreSQL converts in one statement;
# SQLite keeps moments in UTC and has no time zones, so there Python gives each referral's earliest moment its day.
FIRST_ATTENDED_FILL_POSTGRESQL = """
UPDATE referrals_referral SET first_attended_on = attended.first_on
FROM (
    SELECT referral_id, MIN((starts_at AT TIME ZONE %s)::date) AS first_on
    FROM referrals_appointment WHERE outcome = 'attended' GROUP BY referral_id
) AS attended
WHERE referrals_referral.id = attended.referral_id
"""


def first_attended_fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FIRST_ATTENDED_FILL_POSTGRESQL, [settings.TIME_ZONE])
        return
    Appointment = apps.get_model("referrals", "Appointment")
    Referral = apps.get_model("referrals", "Referral")
    firsts = Appointment.objects.filter(outcome="attended").values("referral").annotate(first=Min("starts_at"))
    Referral.objects.bulk_update(
        [Referral(pk=row["referral"], first_attended_on=timezone.localdate(row["first"])) for row in firsts.order_by()],
        ["first_attended_on"],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0016_referral_first_moves"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="first_attended_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(first_attended_fill, migrations.RunPython.noop, elidable=True),
    ]
