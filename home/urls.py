from django.urls import path

from home import views

app_name = "home"

urlpatterns = [
    path("", views.index, name="index"),
    path("referrals/", views.caseload, name="caseload"),
    path("referrals/waiting-list/", views.waiting_list, name="waiting_list"),
    path("search/", views.search, name="search"),
]
