from django.urls import path

from nms.registry import views

urlpatterns = [
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/new/", views.OrganizationCreateView.as_view(), name="organization-create"),
    path(
        "organizations/<int:pk>/",
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
    path(
        "organizations/<int:pk>/edit/",
        views.OrganizationEditView.as_view(),
        name="organization-edit",
    ),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person-create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person-edit"),
    path("people/<int:pk>/history/", views.PersonHistoryView.as_view(), name="person-history"),
    path(
        "people/<int:pk>/employments/new/",
        views.EmploymentCreateView.as_view(),
        name="employment-create",
    ),
    path(
        "people/<int:pk>/employments/<int:employment_pk>/edit/",
        views.EmploymentEditView.as_view(),
        name="employment-edit",
    ),
    path(
        "people/<int:pk>/employments/<int:employment_pk>/delete/",
        views.EmploymentDeleteView.as_view(),
        name="employment-delete",
    ),
]
