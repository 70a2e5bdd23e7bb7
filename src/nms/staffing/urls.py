"""Staffing pages, mounted at /staffing/ (the public vacancy list answers anonymous visitors)."""

from django.urls import path

from nms.staffing import views

urlpatterns = [
    path("", views.StaffingHomeView.as_view(), name="staffing-home"),
    path("vacancies/public/", views.public_vacancy_list, name="public-vacancy-list"),
    path(
        "organizations/<int:pk>/",
        views.OrganizationCardView.as_view(),
        name="staffing-organization",
    ),
    path("import/", views.StaffingImportView.as_view(), name="staffing-import"),
    path("import/template/<slug:kind>/", views.import_template, name="staffing-import-template"),
    path("schedules/", views.ScheduleListView.as_view(), name="staffing-schedule-list"),
    path("schedules/new/", views.ScheduleCreateView.as_view(), name="staffing-schedule-create"),
    path(
        "schedules/<int:pk>/", views.ScheduleDetailView.as_view(), name="staffing-schedule-detail"
    ),
    path(
        "schedules/<int:pk>/edit/", views.ScheduleEditView.as_view(), name="staffing-schedule-edit"
    ),
    path(
        "schedules/<int:pk>/rows/",
        views.ScheduleRowAddView.as_view(),
        name="staffing-schedule-row-add",
    ),
    path(
        "schedule-rows/<int:pk>/delete/",
        views.ScheduleRowDeleteView.as_view(),
        name="staffing-schedule-row-delete",
    ),
    path("vacancies/", views.VacancyListView.as_view(), name="staffing-vacancy-list"),
    path("vacancies/new/", views.VacancyCreateView.as_view(), name="staffing-vacancy-create"),
    path("vacancies/<int:pk>/", views.VacancyDetailView.as_view(), name="staffing-vacancy-detail"),
    path("vacancies/<int:pk>/edit/", views.VacancyEditView.as_view(), name="staffing-vacancy-edit"),
    path(
        "vacancies/<int:pk>/<slug:what>/",
        views.VacancyActionView.as_view(),
        name="staffing-vacancy-action",
    ),
    path("diplomas/", views.DiplomaListView.as_view(), name="staffing-diploma-list"),
    path("diplomas/new/", views.DiplomaCreateView.as_view(), name="staffing-diploma-create"),
    path("diplomas/<int:pk>/", views.DiplomaDetailView.as_view(), name="staffing-diploma-detail"),
    path("diplomas/<int:pk>/edit/", views.DiplomaEditView.as_view(), name="staffing-diploma-edit"),
    path("specialties/", views.SpecialtyListView.as_view(), name="staffing-specialty-list"),
    path("specialties/new/", views.SpecialtyCreateView.as_view(), name="staffing-specialty-create"),
    path(
        "specialties/<int:pk>/",
        views.SpecialtyDetailView.as_view(),
        name="staffing-specialty-detail",
    ),
    path(
        "specialties/<int:pk>/edit/",
        views.SpecialtyEditView.as_view(),
        name="staffing-specialty-edit",
    ),
    path("contracts/", views.ContractListView.as_view(), name="staffing-contract-list"),
    path("contracts/new/", views.ContractCreateView.as_view(), name="staffing-contract-create"),
    path(
        "contracts/<int:pk>/", views.ContractDetailView.as_view(), name="staffing-contract-detail"
    ),
    path(
        "contracts/<int:pk>/edit/", views.ContractEditView.as_view(), name="staffing-contract-edit"
    ),
    path("classes/", views.ClassListView.as_view(), name="staffing-class-list"),
    path("classes/new/", views.ClassCreateView.as_view(), name="staffing-class-create"),
    path("classes/<int:pk>/", views.ClassDetailView.as_view(), name="staffing-class-detail"),
    path("classes/<int:pk>/edit/", views.ClassEditView.as_view(), name="staffing-class-edit"),
]
