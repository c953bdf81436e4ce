from django.db import migrations, models

# Each referral's day of acceptance, from its events: one pass (a referral is accepted once at most).
ACCEPTED_ON_FILL = """
UPDATE referrals_referral SET accepted_on = (
    SELECT MIN(occurred_on) FROM referrals_pipelineevent e
    WHERE e.referral_id = referrals_referral.id AND e.kind = 'accepted'
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0019_pipeline_event_team"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="accepted_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(ACCEPTED_ON_FILL, reverse_sql=migrations.RunSQL.noop, elidable=True),
    ]
