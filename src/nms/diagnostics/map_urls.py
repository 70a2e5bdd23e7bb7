"""Deficit maps, groups with similar deficits and the results import; mounted at
/diagnostics/maps/."""

from django.urls import path

from nms.diagnostics import map_views

urlpatterns = [
    path("", map_views.deficit_map_page, name="map-deficits"),
    path("person/<int:pk>/", map_views.person_map_page, name="map-person"),
    path("clusters/", map_views.clusters_page, name="map-clusters"),
    path("clusters/members/", map_views.cluster_members_page, name="map-cluster-members"),
    path("import/", map_views.results_import_page, name="results-import"),
    path("import/template/", map_views.results_import_template, name="results-import-template"),
]
