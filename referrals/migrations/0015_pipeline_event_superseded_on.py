from django.db import migrations, models

# Each event's next event's date, in the order the referral's events are read (date, then sequence). Standard SQL
# that PostgreSQL and SQLite (3.33 on) both run: one pass over the events, whatever their number.
SUPERSEDED_FILL = """
UPDATE referrals_pipelineevent SET superseded_on = following.next_on
FROM (
    SELECT id, LEAD(occurred_on) OVER (PARTITION BY referral_id ORDER BY occurred_on, sequence) AS next_on
    FROM referrals_pipelineevent
) AS following
WHERE referrals_pipelineevent.id = following.id AND following.next_on IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0014_appointment_period_and_diary_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="pipelineevent",
            name="superseded_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(SUPERSEDED_FILL, reverse_sql=migrations.RunSQL.noop, elidable=True),
        migrations.AddIndex(
            model_name="pipelineevent",
            index=models.Index(
                condition=models.Q(("status__in", ["awaiting_decision", "in_progress", "on_hold"])),
                fields=["superseded_on", "occurred_on"],
                name="pipeline_event_open_until",
            ),
        ),
    ]
