from django.urls import path

from nms.routes import views

urlpatterns = [
    path("", views.RouteListView.as_view(), name="route-list"),
    path("attention/", views.route_dashboard, name="route-dashboard"),
    path("documents/", views.route_documents, name="route-documents"),
    path("new/", views.route_create, name="route-create"),
    path("<int:pk>/", views.RouteDetailView.as_view(), name="route-detail"),
    path("<int:pk>/docx/", views.route_docx, name="route-docx"),
    path("<int:pk>/step/<slug:name>/", views.route_transition, name="route-transition"),
    path("<int:pk>/texts/", views.route_texts, name="route-texts"),
    path("<int:pk>/deficits/", views.route_update_deficits, name="route-update-deficits"),
    path("<int:pk>/general/", views.route_general_info, name="route-general-info"),
    path("<int:pk>/map/", views.item_add, name="route-item-add"),
    path("<int:pk>/map/<int:item_pk>/", views.item_detail, name="route-item"),
    path("<int:pk>/map/<int:item_pk>/edit/", views.item_edit, name="route-item-edit"),
    path("<int:pk>/map/<int:item_pk>/delete/", views.item_delete, name="route-item-delete"),
    path("<int:pk>/reports/<int:report_pk>/", views.report_decide, name="route-report-decide"),
    path("<int:pk>/versions/", views.RouteVersionsView.as_view(), name="route-versions"),
    path(
        "<int:pk>/versions/<int:number>/",
        views.RouteVersionDetailView.as_view(),
        name="route-version-detail",
    ),
    path("templates/", views.TemplateListView.as_view(), name="template-list"),
    path("templates/new/", views.TemplateCreateView.as_view(), name="template-create"),
    path("templates/<int:pk>/apply/", views.template_apply, name="template-apply"),
    path(
        "<int:pk>/files/<str:kind>/<int:object_pk>/",
        views.route_file,
        name="route-file",
    ),
]
