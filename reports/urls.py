from django.urls import path

from reports import views
from reports.pdf.urls import urlpatterns as pdf_urlpatterns
from reports.subject_access import views as subject_access

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("compare/", views.compare, name="compare"),
    path("needs/", views.needs, name="needs"),
    path("kpis.<str:file_format>", views.kpi_download, name="kpi_download"),
    path("targets/", views.targets, name="targets"),
    path("targets/<slug:kpi>/", views.target_edit, name="target_edit"),
    path("targets/<slug:kpi>/<int:pk>/remove/", views.target_remove, name="target_remove"),
    path("subject-access/<int:caregiver_pk>.json", subject_access.subject_access_json, name="subject_access_json"),
    path("subject-access/<int:caregiver_pk>/pdf/", subject_access.subject_access_pdf, name="subject_access_pdf"),
    *pdf_urlpatterns,
]
