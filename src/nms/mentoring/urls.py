from django.urls import path

from nms.mentoring import views

urlpatterns = [
    path("", views.mentor_registry, name="mentor-registry"),
    path("home/", views.mentoring_home, name="mentoring-home"),
    path("match/", views.mentor_match, name="mentoring-match"),
    path("match/<int:person_pk>/", views.mentor_match, name="mentoring-match-person"),
    path("mentors/", views.ProfileListView.as_view(), name="mentor-list"),
    path("mentors/new/", views.ProfileCreateView.as_view(), name="mentor-create"),
    path("mentors/<int:pk>/", views.ProfileDetailView.as_view(), name="mentor-detail"),
    path("mentors/<int:pk>/edit/", views.ProfileEditView.as_view(), name="mentor-edit"),
    path("mentors/<int:pk>/request/", views.mentor_request, name="mentor-request"),
    path("requests/", views.RequestListView.as_view(), name="mentoring-request-list"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="mentoring-request-detail"),
    path(
        "requests/<int:pk>/<slug:decision>/",
        views.request_decide,
        name="mentoring-request-decide",
    ),
    path("pairs/", views.PairListView.as_view(), name="mentoring-pair-list"),
    path("pairs/<int:pk>/", views.PairDetailView.as_view(), name="mentoring-pair-detail"),
    path("pairs/<int:pk>/edit/", views.PairEditView.as_view(), name="mentoring-pair-edit"),
    path("pairs/<int:pk>/complete/", views.pair_complete, name="mentoring-pair-complete"),
    path("pairs/<int:pk>/meetings/", views.pair_meeting, name="mentoring-pair-meeting"),
    path("pairs/<int:pk>/documents/", views.pair_document, name="mentoring-pair-document"),
    path("pairs/<int:pk>/documents/<int:doc_pk>/", views.pair_file, name="mentoring-pair-file"),
    path("programs/", views.ProgramListView.as_view(), name="mentoring-program-list"),
    path("programs/new/", views.ProgramCreateView.as_view(), name="mentoring-program-create"),
    path("programs/<int:pk>/", views.ProgramDetailView.as_view(), name="mentoring-program-detail"),
    path("programs/<int:pk>/edit/", views.ProgramEditView.as_view(), name="mentoring-program-edit"),
    path("curators/", views.CuratorListView.as_view(), name="mentoring-curator-list"),
    path("curators/new/", views.CuratorCreateView.as_view(), name="mentoring-curator-create"),
    path("curators/<int:pk>/edit/", views.CuratorEditView.as_view(), name="mentoring-curator-edit"),
    path("schools/", views.SchoolListView.as_view(), name="mentoring-school-list"),
    path("schools/new/", views.SchoolCreateView.as_view(), name="mentoring-school-create"),
    path("schools/<int:pk>/edit/", views.SchoolEditView.as_view(), name="mentoring-school-edit"),
]
