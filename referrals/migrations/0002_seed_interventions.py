from django.db import migrations

INDIVIDUAL, GROUP = "individual", "group"
UNIVERSAL, TARGETED, SPECIALIST = "universal", "targeted", "specialist"

INTERVENTIONS = [
    ("cft_pir", "Compassion-focused therapy for the parent-infant relationship", INDIVIDUAL, SPECIALIST),
    ("psychoeducation", "Psychoeducation on infant development", INDIVIDUAL, TARGETED),
    ("vig", "Video Interaction Guidance (VIG)", INDIVIDUAL, SPECIALIST),
    ("vipp_sd", "VIPP-SD", INDIVIDUAL, SPECIALIST),
    ("parent_infant_psychotherapy", "Parent-infant psychotherapy", INDIVIDUAL, SPECIALIST),
    ("circle_of_security", "Circle of Security Parenting", GROUP, TARGETED),
    ("nbo_brazelton", "Newborn Behavioural Observation / Brazelton", INDIVIDUAL, TARGETED),
    ("watch_wait_wonder", "Watch, Wait and Wonder", INDIVIDUAL, SPECIALIST),
    ("mellow", "Mellow Babies / Mellow Bumps", GROUP, TARGETED),
    ("baby_steps", "Baby Steps", GROUP, TARGETED),
    ("together_time", "Together Time", GROUP, TARGETED),
    ("behavioural_activation", "Behavioural Activation", INDIVIDUAL, SPECIALIST),
    ("emdr", "EMDR", INDIVIDUAL, SPECIALIST),
    ("infant_massage", "Infant massage", GROUP, UNIVERSAL),
    ("baby_states_cues", "Baby states and cues", INDIVIDUAL, TARGETED),
    ("engagement_period", "A period of engagement", INDIVIDUAL, TARGETED),
    ("other", "Other", INDIVIDUAL, SPECIALIST),
]


def seed(apps, schema_editor):
    Intervention = apps.get_model("referrals", "Intervention")
    for order, (code, label, format_, level) in enumerate(INTERVENTIONS, start=1):
        Intervention.objects.update_or_create(
            code=code, defaults={"label": label, "format": format_, "level": level, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
