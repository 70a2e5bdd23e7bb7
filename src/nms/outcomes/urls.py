from django.urls import path

from nms.outcomes import views

urlpatterns = [
    path("", views.ResultListView.as_view(), name="outcomes-result-list"),
    path("<int:pk>/", views.ResultDetailView.as_view(), name="outcomes-result-detail"),
    path("import/", views.ResultsImportView.as_view(), name="outcomes-import"),
    path("import/template/", views.import_template, name="outcomes-import-template"),
    path("dynamics/", views.DynamicsView.as_view(), name="outcomes-dynamics"),
    path("low-results/", views.LowResultsView.as_view(), name="outcomes-low-results"),
]
