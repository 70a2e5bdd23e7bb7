"""The roadmap of measures with statuses per reporting period, agreements and the register of the
system's documents."""

from django.urls import path

from nms.roadmap import views

urlpatterns = [
    path("", views.RoadmapListView.as_view(), name="roadmap-list"),
    path("new/", views.RoadmapCreateView.as_view(), name="roadmap-create"),
    path("<int:pk>/", views.RoadmapDetailView.as_view(), name="roadmap-detail"),
    path("<int:pk>/edit/", views.RoadmapEditView.as_view(), name="roadmap-edit"),
    path("<int:pk>/import/", views.RoadmapImportView.as_view(), name="roadmap-import"),
    path("<int:pk>/export/", views.roadmap_export, name="roadmap-export"),
    path(
        "<int:roadmap_pk>/activities/new/",
        views.ActivityCreateView.as_view(),
        name="roadmap-activity-create",
    ),
    path(
        "<int:roadmap_pk>/directions/new/",
        views.DirectionCreateView.as_view(),
        name="roadmap-direction-create",
    ),
    path(
        "<int:roadmap_pk>/measures/new/",
        views.MeasureCreateView.as_view(),
        name="roadmap-measure-create",
    ),
    path(
        "directions/<int:pk>/edit/",
        views.DirectionEditView.as_view(),
        name="roadmap-direction-edit",
    ),
    path(
        "directions/<int:pk>/delete/",
        views.DirectionDeleteView.as_view(),
        name="roadmap-direction-delete",
    ),
    path("measures/<int:pk>/edit/", views.MeasureEditView.as_view(), name="roadmap-measure-edit"),
    path(
        "measures/<int:pk>/delete/",
        views.MeasureDeleteView.as_view(),
        name="roadmap-measure-delete",
    ),
    path("activities/", views.ActivityListView.as_view(), name="roadmap-activity-list"),
    path(
        "activities/<int:pk>/", views.ActivityDetailView.as_view(), name="roadmap-activity-detail"
    ),
    path(
        "activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="roadmap-activity-edit"
    ),
    path("status/", views.PeriodListView.as_view(), name="roadmap-period-list"),
    path("periods/<int:pk>/status/", views.period_status, name="roadmap-period-status"),
    path("evidence/<int:pk>/", views.evidence_file, name="roadmap-evidence-file"),
    path("agreements/", views.AgreementListView.as_view(), name="roadmap-agreement-list"),
    path("agreements/new/", views.AgreementCreateView.as_view(), name="roadmap-agreement-create"),
    path(
        "agreements/<int:pk>/",
        views.AgreementDetailView.as_view(),
        name="roadmap-agreement-detail",
    ),
    path(
        "agreements/<int:pk>/edit/",
        views.AgreementEditView.as_view(),
        name="roadmap-agreement-edit",
    ),
    path("agreements/<int:pk>/file/", views.agreement_file, name="roadmap-agreement-file"),
    path("documents/", views.DocumentListView.as_view(), name="roadmap-document-list"),
    path("documents/new/", views.DocumentCreateView.as_view(), name="roadmap-document-create"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="roadmap-document-detail"),
    path(
        "documents/<int:pk>/edit/",
        views.DocumentEditView.as_view(),
        name="roadmap-document-edit",
    ),
    path("documents/<int:pk>/versions/", views.document_version, name="roadmap-document-version"),
    path("versions/<int:pk>/file/", views.version_file, name="roadmap-version-file"),
]
