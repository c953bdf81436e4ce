import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0020_referral_accepted_on"),
    ]

    # The new index first: the referral's own index goes only once the one that starts with it is there.
    operations = [
        migrations.AddIndex(
            model_name="levelsrecord",
            index=models.Index(fields=["referral", "recorded_on", "recorded_at", "id"], name="levels_record_as_at"),
        ),
        migrations.AlterField(
            model_name="levelsrecord",
            name="referral",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="levels_history",
                to="referrals.referral",
            ),
        ),
    ]
