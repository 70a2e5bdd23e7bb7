from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("nms.accounts.urls")),
    path("registry/", include("nms.registry.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("nms.api_urls")),
    path("registry/import/", include("nms.registry.import_urls")),
    path("api/v1/import/", include("nms.registry.import_api_urls")),
    path("diagnostics/maps/", include("nms.diagnostics.map_urls")),
    path("diagnostics/bank/", include("nms.diagnostics.bank_urls")),
    path("diagnostics/", include("nms.diagnostics.urls")),
    path("routes/", include("nms.routes.urls")),
    path("api/v1/diagnostics/", include("nms.diagnostics.results_api_urls")),
    path("api/v1/diagnostics/", include("nms.diagnostics.api_urls")),
    path("api/v1/routes/", include("nms.routes.api_urls")),
]
