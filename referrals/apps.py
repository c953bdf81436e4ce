from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import m2m_changed, pre_delete, pre_save

        from referrals import models
        from referrals.models.referral import DERIVED_FIELDS
        from referrals.services.lifecycle import refuse_attendance_while_restricted, refuse_while_restricted

        # A restricted referral's records are kept and shown but not written, whoever writes (browser, import, demo).
        pre_save.connect(refuse_while_restricted, dispatch_uid="refuse_save_while_restricted")
        pre_delete.connect(refuse_while_restricted, dispatch_uid="refuse_delete_while_restricted")
        m2m_changed.connect(
            refuse_attendance_while_restricted,
            sender=models.GroupSession.attendees.through,
            dispatch_uid="refuse_attendance_while_restricted",
        )

        # The version counters only guard against stale edits; the audit records what changed, not the counter.
        unaudited = ["version"]
        auditlog.register(
            models.Referral,
            m2m_fields={"complexities"},
            exclude_fields=[*unaudited, "submission_token", *DERIVED_FIELDS],
        )
        auditlog.register(models.Caregiver, exclude_fields=unaudited)
        auditlog.register(models.Infant, exclude_fields=unaudited)
        auditlog.register(models.PipelineEvent, exclude_fields=["superseded_on", "team"])
        auditlog.register(models.LevelsRecord)
        # An appointment's team is its referral's, kept for the KPIs' index: not a change anyone made.
        auditlog.register(models.Appointment, exclude_fields=[*unaudited, "team"])
        auditlog.register(models.InterventionEpisode, exclude_fields=unaudited)
        auditlog.register(models.GroupProgramme, m2m_fields={"facilitators"}, exclude_fields=unaudited)
        auditlog.register(models.GroupPlace, exclude_fields=unaudited)
        auditlog.register(models.GroupSession, m2m_fields={"attendees"})
        auditlog.register(models.Restriction)
        auditlog.register(models.Correction)
        auditlog.register(models.RetentionReview)
        for vocabulary in (
            models.Intervention,
            models.Complexity,
            models.DisengagementReason,
            models.HoldReason,
            models.DeclineReason,
            models.ThriveLevel,
        ):
            auditlog.register(vocabulary)
