from django.contrib.auth import views as auth_views
from django.urls import path

from nms.accounts import provisioning_views, token_views
from nms.accounts.forms import LoginForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        provisioning_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url="/password/done/"
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_change_done",
    ),
    path("accounts/issue/", provisioning_views.issue, name="accounts-issue"),
    path("accounts/tokens/", token_views.tokens, name="api-tokens"),
    path("accounts/tokens/<int:pk>/revoke/", token_views.revoke, name="api-token-revoke"),
]
