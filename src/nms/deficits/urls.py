"""Deficit maps and groups with similar deficits; mounted at /diagnostics/maps/ (the results import
under /diagnostics/maps/import/ is the diagnostics' own, see nms.diagnostics.urls)."""

from django.urls import path

from nms.deficits import views

urlpatterns = [
    path("", views.deficit_map_page, name="map-deficits"),
    path("person/<int:pk>/", views.person_map_page, name="map-person"),
    path("clusters/", views.clusters_page, name="map-clusters"),
    path("clusters/members/", views.cluster_members_page, name="map-cluster-members"),
]
