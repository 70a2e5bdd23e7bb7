"""The first login with a one-time password: nothing but the password change until it is done.

A signed-in user with `must_change_password` is sent to the password change page from every
page except that page, logout and static files; the API answers them 403 (except the token
endpoint). The API's token clients are recognised here by their `Authorization: Token …` header,
since Django's authentication does not know them.
"""

from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, get_urlconf, reverse

CHANGE_PASSWORD_FIRST = (
    "Смените разовый пароль: войдите на сайт и задайте собственный пароль, затем повторите запрос."
)
# URL names open to such a user: the password change itself, logout, the API's token.
OPEN = ("password_change", "logout", "api-token")


class FirstLoginMiddleware:
    """Put right after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self._refusal(request) or self.get_response(request)

    def _refusal(self, request):
        path = request.path_info
        if path in _open_paths() or (settings.STATIC_URL and path.startswith(settings.STATIC_URL)):
            return None
        if path.startswith(_api_root()):
            if _must_change(request) or _token_must_change(request):
                return JsonResponse({"detail": CHANGE_PASSWORD_FIRST}, status=403)
            return None
        if not _must_change(request):
            return None
        target = _reverse("password_change")
        if request.headers.get("HX-Request") == "true":  # htmx: the whole page goes there
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


@lru_cache(maxsize=8)
def _paths(urlconf) -> tuple[frozenset, str]:
    """The open paths and the API's root for a URL configuration (reversed once, not per
    request)."""
    return frozenset(_reverse(name) for name in OPEN), _reverse("api-root") or "/api/"


def _open_paths() -> frozenset:
    return _paths(get_urlconf() or settings.ROOT_URLCONF)[0]


def _api_root() -> str:
    return _paths(get_urlconf() or settings.ROOT_URLCONF)[1]


def _reverse(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _must_change(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.must_change_password)


def _token_must_change(request) -> bool:
    """A token client whose account still has its one-time password (one query per such call)."""
    parts = request.headers.get("Authorization", "").split()
    if len(parts) != 2 or parts[0] != "Token":
        return False
    from nms.accounts.models import ApiToken

    token = ApiToken.find(parts[1])
    return bool(token and token.user.must_change_password and token.user.is_active)
