"""The PDFs' URLs, part of the reports app's (`reports:` names)."""

from django.urls import path

from reports.pdf import views

urlpatterns = [
    path("pdf/<slug:kind>.pdf", views.report_pdf, name="report_pdf"),
    path("quarterly/", views.quarterly_report, name="quarterly_report"),
    path("quarterly/commentary/", views.quarterly_commentary, name="quarterly_commentary"),
    path("quarterly/final/", views.quarterly_finalise, name="quarterly_finalise"),
]
