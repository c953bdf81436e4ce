import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def team_fill(apps, schema_editor):
    """Each appointment's team is its referral's."""
    Appointment = apps.get_model("referrals", "Appointment")
    Referral = apps.get_model("referrals", "Referral")
    Appointment.objects.update(team=Subquery(Referral.objects.filter(pk=OuterRef("referral")).values("team")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("pairs", "0001_initial"),
        ("referrals", "0017_referral_first_attended"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="team",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="pairs.team",
            ),
        ),
        migrations.RunPython(team_fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="appointment",
            name="team",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="pairs.team",
            ),
        ),
        migrations.RemoveIndex(model_name="appointment", name="appointment_starts_at"),
        migrations.AddIndex(
            model_name="appointment",
            index=models.Index(fields=["team", "starts_at"], name="appointment_team_diary"),
        ),
    ]
