import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def team_fill(apps, schema_editor):
    """Each event's team is its referral's."""
    PipelineEvent = apps.get_model("referrals", "PipelineEvent")
    Referral = apps.get_model("referrals", "Referral")
    PipelineEvent.objects.update(team=Subquery(Referral.objects.filter(pk=OuterRef("referral")).values("team")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("pairs", "0001_initial"),
        ("referrals", "0018_appointment_team"),
    ]

    operations = [
        migrations.AddField(
            model_name="pipelineevent",
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
            model_name="pipelineevent",
            name="team",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="pairs.team",
            ),
        ),
        migrations.RemoveIndex(model_name="pipelineevent", name="pipeline_event_open_until"),
        migrations.AddIndex(
            model_name="pipelineevent",
            index=models.Index(
                condition=models.Q(("status__in", ["awaiting_decision", "in_progress", "on_hold"])),
                fields=["team", "superseded_on", "occurred_on"],
                name="pipeline_event_team_open_until",
            ),
        ),
    ]
