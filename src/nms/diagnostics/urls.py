from django.urls import path

from nms.diagnostics import views

urlpatterns = [
    path("", views.home, name="diagnostics-home"),
    path("procedures/", views.ProcedureListView.as_view(), name="procedure-list"),
    path("procedures/new/", views.procedure_create, name="procedure-create"),
    path("procedures/<int:pk>/", views.ProcedureDetailView.as_view(), name="procedure-detail"),
    path("procedures/<int:pk>/edit/", views.procedure_edit, name="procedure-edit"),
    path(
        "procedures/<int:pk>/results/",
        views.ProcedureResultsView.as_view(),
        name="procedure-results",
    ),
    path("procedures/<int:pk>/blueprint/", views.procedure_blueprint, name="procedure-blueprint"),
    path("procedures/<int:pk>/assemble/", views.procedure_assemble, name="procedure-assemble"),
    path("procedures/<int:pk>/groups/new/", views.group_create, name="group-create"),
    path("procedures/<int:pk>/start/", views.attempt_start, name="attempt-start"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group-delete"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt-detail"),
    path("attempts/<int:pk>/answer/", views.attempt_answer, name="attempt-answer"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="attempt-submit"),
    path("results/<int:pk>/", views.result_detail, name="result-detail"),
    path("people/<int:person_pk>/", views.person_results, name="person-results"),
    # The results import lives under the deficit maps' path, as it always has.
    path("maps/import/", views.ResultsImportView.as_view(), name="results-import"),
    path("maps/import/template/", views.results_import_template, name="results-import-template"),
]
