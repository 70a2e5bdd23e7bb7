"""The REST API, mounted at /api/v1/ (see nms/urls.py)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from nms.accounts.api import MeView, ObtainTokenView
from nms.registry import api as registry

router = DefaultRouter()
# Names are prefixed with "api-": the pages already use "person-list" and the like.
router.register("municipalities", registry.MunicipalityViewSet, basename="api-municipality")
router.register("organizations", registry.OrganizationViewSet, basename="api-organization")
router.register("people", registry.PersonViewSet, basename="api-person")
router.register("employments", registry.EmploymentViewSet, basename="api-employment")
router.register("positions", registry.PositionViewSet, basename="api-position")
router.register("subjects", registry.SubjectViewSet, basename="api-subject")
router.register("choices", registry.ChoicesViewSet, basename="api-choices")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
