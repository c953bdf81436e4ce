from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("home.urls")),
    path("", include("pairs.urls")),
    path("referrals/", include("referrals.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("training/", include("training.urls")),
    # The import and export pages keep their addresses under Reports, where service managers look for them.
    path("reports/", include("monitoring.urls")),
    path("reports/", include("reports.urls")),
    path("jobs/", include("jobs.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "pairs.views.server_error"
