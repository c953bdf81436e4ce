from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        from auditlog.registry import auditlog

        from referrals import models

        # The version counters only guard against stale edits; the audit records what changed, not the counter.
        unaudited = ["version"]
        auditlog.register(
            models.Referral,
            m2m_fields={"complexities"},
            exclude_fields=[*unaudited, "submission_token", "family_names"],
        )
        auditlog.register(models.Caregiver, exclude_fields=unaudited)
        auditlog.register(models.Infant, exclude_fields=unaudited)
        auditlog.register(models.PipelineEvent)
        auditlog.register(models.LevelsRecord)
        auditlog.register(models.Appointment, exclude_fields=unaudited)
        auditlog.register(models.InterventionEpisode, exclude_fields=unaudited)
        auditlog.register(models.GroupProgramme, m2m_fields={"facilitators"}, exclude_fields=unaudited)
        auditlog.register(models.GroupPlace, exclude_fields=unaudited)
        auditlog.register(models.GroupSession, m2m_fields={"attendees"})
        for vocabulary in (
            models.Intervention,
            models.Complexity,
            models.DisengagementReason,
            models.HoldReason,
            models.DeclineReason,
            models.ThriveLevel,
        ):
            auditlog.register(vocabulary)
