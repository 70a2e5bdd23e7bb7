"""Results import, deficit maps and clusters; mounted at /api/v1/diagnostics/ beside the rest of
the diagnostics API, under the prefixes import/, maps/ and clusters/ only."""

from django.urls import path

from nms.diagnostics import results_api

urlpatterns = [
    path("import/", results_api.ResultsImportView.as_view(), name="api-results-import"),
    path("maps/", results_api.DeficitMapView.as_view(), name="api-deficit-map"),
    path("clusters/", results_api.ClustersView.as_view(), name="api-clusters"),
    path(
        "clusters/members/",
        results_api.ClusterMembersView.as_view(),
        name="api-cluster-members",
    ),
]
