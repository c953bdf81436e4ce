from django.db import migrations, models

# Each referral's first decision, assessment start and intervention start, from its events: one pass.
FIRST_MOVES_FILL = """
UPDATE referrals_referral SET
    first_decided_on = (
        SELECT MIN(occurred_on) FROM referrals_pipelineevent e
        WHERE e.referral_id = referrals_referral.id AND e.kind IN ('accepted', 'not_accepted')
    ),
    first_assessment_on = (
        SELECT MIN(occurred_on) FROM referrals_pipelineevent e
        WHERE e.referral_id = referrals_referral.id AND e.kind = 'assessment_started'
    ),
    first_intervention_on = (
        SELECT MIN(occurred_on) FROM referrals_pipelineevent e
        WHERE e.referral_id = referrals_referral.id AND e.kind = 'intervention_started'
    )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0015_pipeline_event_superseded_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="first_assessment_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="referral",
            name="first_decided_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="referral",
            name="first_intervention_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(FIRST_MOVES_FILL, reverse_sql=migrations.RunSQL.noop, elidable=True),
    ]
