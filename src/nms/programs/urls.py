from django.urls import path

from nms.programs import views

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="program-list"),
    path("new/", views.ProgrammeCreateView.as_view(), name="program-create"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="program-detail"),
    path("<int:pk>/edit/", views.ProgrammeEditView.as_view(), name="program-edit"),
    path("<int:programme_pk>/runs/new/", views.RunCreateView.as_view(), name="run-create"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run-detail"),
    path("runs/<int:pk>/edit/", views.RunEditView.as_view(), name="run-edit"),
    path("runs/<int:pk>/enroll/", views.RunEnrollView.as_view(), name="run-enroll"),
    path("runs/<int:pk>/team/", views.TeamEnrollView.as_view(), name="run-team"),
    path("enrollments/", views.EnrollmentListView.as_view(), name="enrollment-list"),
    path("enrollments/<int:pk>/", views.EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path(
        "enrollments/<int:pk>/complete/",
        views.EnrollmentCompleteView.as_view(),
        name="enrollment-complete",
    ),
    path("enrollments/<int:pk>/drop/", views.EnrollmentDropView.as_view(), name="enrollment-drop"),
    path(
        "enrollments/<int:pk>/post-course/",
        views.PostCourseView.as_view(),
        name="enrollment-post-course",
    ),
    path("import/", views.ProgramsImportView.as_view(), name="programs-import"),
    path("import/template/<slug:kind>/", views.import_template, name="programs-import-template"),
]
