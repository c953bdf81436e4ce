from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="index"),
    path("sessions/quick-entry/", views.SessionQuickEntryView.as_view(), name="session_quick_entry"),
]
for activity in views.ACTIVITIES:
    urlpatterns += [
        path(f"{activity.path}/", views.ActivityListView.as_view(activity=activity), name=f"{activity.name}_list"),
        path(f"{activity.path}/new/", views.ActivityCreateView.as_view(activity=activity), name=f"{activity.name}_new"),
        path(
            f"{activity.path}/<int:pk>/",
            views.ActivityUpdateView.as_view(activity=activity),
            name=f"{activity.name}_edit",
        ),
        path(
            f"{activity.path}/<int:pk>/delete/",
            views.ActivityDeleteView.as_view(activity=activity),
            name=f"{activity.name}_delete",
        ),
    ]
