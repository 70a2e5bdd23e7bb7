"""The project's URLs plus the jobs API, until nms/api_urls.py registers it."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from nms.common.api_jobs import JobViewSet
from nms.urls import urlpatterns as project_urls

router = DefaultRouter()
router.register("jobs", JobViewSet, basename="api-job")

urlpatterns = [*project_urls, path("api/v1/", include(router.urls))]
