from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.overview, name="index"),
    path("sessions/quick-entry/", views.session_quick_entry, name="session_quick_entry"),
]
for activity in views.ACTIVITIES:
    configured = {"activity": activity}
    urlpatterns += [
        path(f"{activity.path}/", views.activity_list, configured, name=f"{activity.name}_list"),
        path(f"{activity.path}/new/", views.activity_create, configured, name=f"{activity.name}_new"),
        path(f"{activity.path}/<int:pk>/", views.activity_update, configured, name=f"{activity.name}_edit"),
        path(f"{activity.path}/<int:pk>/delete/", views.activity_delete, configured, name=f"{activity.name}_delete"),
    ]
