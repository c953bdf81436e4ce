"""The foundation's pages: signing in and out, passwords, two-factor sign-in, choosing a team, the session
keep-alive, the accessibility statement and the health check. No `app_name`: their names ("login", "team_switch",
"healthz") are the ones Django's auth views and the templates expect."""

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
    path("two-factor/", views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
]

urlpatterns = [
    path("team/", views.team_switch, name="team_switch"),
    path("session/keep-alive/", views.session_keep_alive, name="session_keep_alive"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("account/", include(auth_patterns)),
]
