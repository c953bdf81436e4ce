from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pairs import views
from pairs.forms import LoginForm, NHSPasswordChangeForm, NHSPasswordResetForm, NHSSetPasswordForm

auth_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(form_class=NHSPasswordChangeForm),
        name="password_change",
    ),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=NHSPasswordResetForm),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NHSSetPasswordForm),
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", include("home.urls")),
    path("team/", views.team_switch, name="team_switch"),
    path("session/keep-alive/", views.session_keep_alive, name="session_keep_alive"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("account/", include(auth_patterns)),
    path("referrals/", include("referrals.urls")),
    path("outcomes/", include("outcomes.urls")),
    path("training/", include("training.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
