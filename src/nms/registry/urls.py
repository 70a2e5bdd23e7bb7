from django.urls import path

from nms.registry import views

urlpatterns = [
    path("organizations/", views.organization_list, name="organization-list"),
    path("organizations/new/", views.organization_create, name="organization-create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization-detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization-edit"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/history/", views.person_history, name="person-history"),
    path("people/<int:pk>/employments/new/", views.employment_create, name="employment-create"),
    path(
        "people/<int:pk>/employments/<int:employment_pk>/edit/",
        views.employment_edit,
        name="employment-edit",
    ),
    path(
        "people/<int:pk>/employments/<int:employment_pk>/delete/",
        views.employment_delete,
        name="employment-delete",
    ),
]
