"""The site's URLs and three that fail on purpose (tests/common/test_error_pages.py)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path

from nms import urls


def refuse(request):
    raise PermissionDenied


def refuse_in_russian(request):
    raise PermissionDenied("Менять это место работы может только его организация.")


def missing(request):
    raise Http404("Объект не найден")


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("boom/403/", refuse),
    path("boom/403ru/", refuse_in_russian),
    path("boom/404/", missing),
    path("boom/500/", broken),
    *urls.urlpatterns,
]
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
