from django.urls import path

from outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("", views.index, name="index"),
    path("t2-due/", views.t2_due_page, name="t2_due"),
    path("t2-due/when/", views.t2_interval, name="t2_interval"),
    path("referrals/<int:referral_id>/", views.referral_outcomes, name="referral"),
    path("referrals/<int:referral_id>/record/<slug:instrument>/", views.questionnaire_create, name="record"),
    path("referrals/<int:referral_id>/not-completed/", views.not_completed_create, name="not_completed"),
    path("referrals/<int:referral_id>/follow-up/", views.follow_up, name="follow_up"),
    path("referrals/<int:referral_id>/charts/<slug:instrument>.svg", views.chart, name="chart"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/edit/", views.questionnaire_edit, name="questionnaire_edit"),
    path("alerts/<int:pk>/", views.alert_act, name="alert_act"),
]
