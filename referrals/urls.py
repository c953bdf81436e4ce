from django.urls import path

from referrals import views
from referrals.views import lifecycle, references

app_name = "referrals"

urlpatterns = [
    path("new/", views.referral_create, name="create"),
    path("appointments/", views.appointments_week, name="appointments"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/details/", views.referral_edit, name="edit"),
    path("<int:pk>/levels/", views.referral_levels, name="levels"),
    path("<int:pk>/caregivers/new/", views.caregiver_create, name="caregiver_create"),
    path("<int:pk>/caregivers/<int:caregiver_pk>/", views.caregiver_edit, name="caregiver_edit"),
    path("<int:pk>/infants/new/", views.infant_create, name="infant_create"),
    path("<int:pk>/infants/<int:infant_pk>/", views.infant_edit, name="infant_edit"),
    path("<int:pk>/move/<slug:move>/", views.referral_move, name="move"),
    path("<int:pk>/appointments/new/", views.appointment_book, name="appointment_book"),
    path("<int:pk>/appointments/<int:appointment_pk>/", views.appointment_detail, name="appointment_detail"),
    path("<int:pk>/appointments/<int:appointment_pk>/outcome/", views.appointment_outcome, name="appointment_outcome"),
    path(
        "<int:pk>/appointments/<int:appointment_pk>/move/", views.appointment_reschedule, name="appointment_reschedule"
    ),
    path("<int:pk>/appointments/<int:appointment_pk>/change/", views.appointment_edit, name="appointment_edit"),
    path("<int:pk>/appointments/<int:appointment_pk>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("<int:pk>/interventions/new/", views.episode_create, name="episode_create"),
    path("<int:pk>/interventions/<int:episode_pk>/", views.episode_edit, name="episode_edit"),
    path("<int:pk>/audit/", lifecycle.audit_history_page, name="audit_history"),
    path("<int:pk>/restrict/", lifecycle.restriction_place, name="restrict"),
    path("<int:pk>/restrict/lift/", lifecycle.restriction_lift, name="restriction_lift"),
    path("<int:pk>/retention/", lifecycle.retention_review, name="retention_review"),
    path("retention/", lifecycle.retention, name="retention"),
    path("retention/periods/", lifecycle.retention_settings, name="retention_settings"),
    path("references/", references.reference_scheme, name="reference_scheme"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/offer/", views.group_offer, name="group_offer"),
    path("groups/<int:pk>/places/<int:place_pk>/", views.group_place_respond, name="group_place_respond"),
    path("groups/<int:pk>/sessions/new/", views.group_session_record, name="group_session_record"),
    path("groups/<int:pk>/sessions/<int:session_pk>/", views.group_session_edit, name="group_session_edit"),
]
