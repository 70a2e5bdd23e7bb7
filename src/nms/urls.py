from django.contrib import admin
from django.urls import include, path

# Russian pages in the site's look (nms.common.errors); the API answers in JSON.
handler403 = "nms.common.errors.permission_denied"
handler404 = "nms.common.errors.page_not_found"
handler500 = "nms.common.errors.server_error"

urlpatterns = [
    path("", include("nms.dashboard.urls")),
    path("", include("nms.accounts.urls")),
    path("registry/", include("nms.registry.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("nms.api_urls")),
    path("registry/import/", include("nms.registry.import_urls")),
    path("diagnostics/maps/", include("nms.deficits.urls")),
    path("diagnostics/", include("nms.itembank.urls")),
    path("diagnostics/", include("nms.diagnostics.urls")),
    path("routes/", include("nms.routes.urls")),
    path("programs/", include("nms.programs.urls")),
    path("events/", include("nms.events.urls")),
    path("support/", include("nms.support.urls")),
    path("mentoring/", include("nms.mentoring.urls")),
    path("monitoring/", include("nms.monitoring.urls")),
    path("staffing/", include("nms.staffing.urls")),
    path("outcomes/", include("nms.outcomes.urls")),
    path("exchange/", include("nms.exchange.urls")),
    path("catalogs/", include("nms.catalogs.urls")),
    path("roadmap/", include("nms.roadmap.urls")),
    path("portal/", include("nms.portal.urls")),
    path("jobs/", include("nms.common.job_urls")),
]
