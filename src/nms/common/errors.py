"""The error pages: Russian, in the site's look, with a way back — with DEBUG on and off.

Django answers an error with `handler404`/`handler403`/`handler500` (nms.urls) only when DEBUG is
off; with it on, it shows its own English pages. `ErrorPagesMiddleware` makes the 404 and 403 of
the pages ours in both cases (a developer still gets Django's page for a server error, with the
traceback). The API answers in JSON (its views do that themselves; an unknown address under
/api/ is answered here). The 500 page is rendered without the request and touches no database:
whatever broke may be the database.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader

API_PREFIX = "/api/"
NOT_FOUND = "Не найдено."
FORBIDDEN = "У вас нет прав на это действие."


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _message(exception, default: str) -> str:
    """The refusal's own words when a view gave Russian ones (never Django's English)."""
    text = str(exception or "").strip()
    if not text or not any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in text):
        return default
    return text


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": NOT_FOUND}, status=404)
    response = render(request, "404.html", status=404)
    response.nms_error_page = True
    return response


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _message(exception, FORBIDDEN)}, status=403)
    context = {"message": _message(exception, FORBIDDEN)}
    response = render(request, "403.html", context, status=403)
    response.nms_error_page = True
    return response


def server_error(request=None):
    """No request context, no database: a plain render of a self-contained template."""
    if request is not None and _is_api(request):
        return JsonResponse({"detail": "Ошибка сервера."}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())


class ErrorPagesMiddleware:
    """Our 404 and 403 pages for what the views refuse, whatever DEBUG says; with DEBUG on, also
    for an address no URL matches (Django would show its English page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not getattr(response, "nms_error_page", False)
            and "text/html" in response.get("Content-Type", "")
            and not request.path.startswith(settings.STATIC_URL)
        ):
            return page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        return None
