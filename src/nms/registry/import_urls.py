from django.urls import path

from nms.registry import import_views

urlpatterns = [
    path("", import_views.RegistryImportView.as_view(), name="registry-import"),
    path("template/<str:kind>/", import_views.import_template, name="registry-import-template"),
]
