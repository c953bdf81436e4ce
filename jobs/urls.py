from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("<uuid:job_id>/", views.job_detail, name="detail"),
    path("<uuid:job_id>/status/", views.job_status, name="status"),
    path("<uuid:job_id>/file/", views.job_file, name="file"),
    path("<uuid:job_id>/retry/", views.job_start_again, name="retry"),
]
