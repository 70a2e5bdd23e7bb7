"""The item bank and the competency areas; mounted at /diagnostics/ (the paths they have always had:
/diagnostics/bank/ and /diagnostics/areas/)."""

from django.urls import path

from nms.itembank import views

urlpatterns = [
    path("bank/", views.ItemListView.as_view(), name="bank-list"),
    path("bank/new/", views.ItemCreateView.as_view(), name="bank-create"),
    path("bank/import/", views.ItemImportView.as_view(), name="bank-import"),
    path("bank/template/", views.item_template, name="bank-template"),
    path("bank/<int:pk>/", views.ItemDetailView.as_view(), name="bank-detail"),
    path("bank/<int:pk>/edit/", views.ItemEditView.as_view(), name="bank-edit"),
    path("bank/<int:pk>/status/", views.item_status, name="bank-status"),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/new/", views.area_edit, name="area-create"),
    path("areas/<int:pk>/", views.area_edit, name="area-edit"),
    path("areas/<int:area_pk>/subcompetencies/new/", views.subcompetency_edit, name="sub-create"),
    path(
        "areas/<int:area_pk>/subcompetencies/<int:pk>/", views.subcompetency_edit, name="sub-edit"
    ),
]
