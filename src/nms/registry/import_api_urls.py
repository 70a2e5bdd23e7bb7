"""Import endpoints, mounted at /api/v1/import/."""

from django.urls import path

from nms.registry import import_api

urlpatterns = [
    path("staff/", import_api.StaffImportView.as_view(), name="api-import-staff"),
    path(
        "organizations/",
        import_api.OrganizationImportView.as_view(),
        name="api-import-organizations",
    ),
]
