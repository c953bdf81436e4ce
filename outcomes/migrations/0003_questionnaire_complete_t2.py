from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0002_plausible_completion_date_and_text"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="questionnaire",
            index=models.Index(
                condition=models.Q(("status", "complete"), ("timepoint", "T2")),
                fields=["referral", "caregiver", "instrument", "completed_on", "id"],
                name="questionnaire_complete_t2",
            ),
        ),
    ]
