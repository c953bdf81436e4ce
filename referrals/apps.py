from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        from auditlog.registry import auditlog

        from referrals import models

        auditlog.register(models.Referral, m2m_fields={"complexities"})
        auditlog.register(models.Caregiver)
        auditlog.register(models.Infant)
        auditlog.register(models.PipelineEvent)
        auditlog.register(models.LevelsRecord)
        auditlog.register(models.Appointment)
        auditlog.register(models.InterventionEpisode)
        auditlog.register(models.GroupProgramme, m2m_fields={"facilitators"})
        auditlog.register(models.GroupPlace)
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
