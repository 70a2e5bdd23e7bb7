"""Effective practices and methodical materials: submission, expert review, publication,
replication. Mounted at /catalogs/; the public banks answer anonymous visitors."""

from django.urls import path

from nms.catalogs import views

urlpatterns = [
    # the public banks
    path("public/practices/", views.public_practice_list, name="public-practice-list"),
    path("public/practices/<int:pk>/", views.public_practice_detail, name="public-practice-detail"),
    path("public/materials/", views.public_material_list, name="public-material-list"),
    path("public/materials/<int:pk>/", views.public_material_detail, name="public-material-detail"),
    path(
        "public/items/<int:pk>/files/<int:file_pk>/",
        views.public_file,
        name="public-catalog-file",
    ),
    # working pages
    path("", views.PracticeListView.as_view(), name="catalogs-practice-list"),
    path("practices/new/", views.PracticeCreateView.as_view(), name="catalogs-practice-create"),
    path(
        "practices/<int:pk>/", views.PracticeDetailView.as_view(), name="catalogs-practice-detail"
    ),
    path(
        "practices/<int:pk>/edit/", views.PracticeEditView.as_view(), name="catalogs-practice-edit"
    ),
    path("materials/", views.MaterialListView.as_view(), name="catalogs-material-list"),
    path("materials/new/", views.MaterialCreateView.as_view(), name="catalogs-material-create"),
    path(
        "materials/<int:pk>/", views.MaterialDetailView.as_view(), name="catalogs-material-detail"
    ),
    path(
        "materials/<int:pk>/edit/", views.MaterialEditView.as_view(), name="catalogs-material-edit"
    ),
    path("reviews/", views.my_reviews, name="catalogs-my-reviews"),
    path("criteria/", views.criteria_edit, name="catalogs-criteria"),
    path("items/<int:pk>/submit/", views.item_submit, name="catalogs-item-submit"),
    path("items/<int:pk>/assign/", views.item_assign, name="catalogs-item-assign"),
    path("items/<int:pk>/decide/<slug:decision>/", views.item_decide, name="catalogs-item-decide"),
    path("items/<int:pk>/review/", views.item_review, name="catalogs-item-review"),
    path("items/<int:pk>/files/", views.item_file_add, name="catalogs-item-file-add"),
    path("items/<int:pk>/files/<int:file_pk>/", views.item_file, name="catalogs-item-file"),
    path("items/<int:pk>/replications/", views.item_replicate, name="catalogs-item-replicate"),
]
