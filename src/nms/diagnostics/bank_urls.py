from django.urls import path

from nms.diagnostics import bank_views

urlpatterns = [
    path("", bank_views.item_list, name="bank-list"),
    path("new/", bank_views.item_create, name="bank-create"),
    path("import/", bank_views.item_import, name="bank-import"),
    path("template/", bank_views.item_template, name="bank-template"),
    path("<int:pk>/", bank_views.item_detail, name="bank-detail"),
    path("<int:pk>/edit/", bank_views.item_edit, name="bank-edit"),
    path("<int:pk>/status/", bank_views.item_status, name="bank-status"),
]
