from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("import/", views.monitoring_upload, name="import"),
    path("export/", views.monitoring_download, name="export"),
]
