from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("nms.accounts.urls")),
    path("registry/", include("nms.registry.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("nms.api_urls")),
    path("registry/import/", include("nms.registry.import_urls")),
    path("api/v1/import/", include("nms.registry.import_api_urls")),
]
