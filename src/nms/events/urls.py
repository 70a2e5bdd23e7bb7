from django.urls import path

from nms.events import views

urlpatterns = [
    path("", views.EventListView.as_view(), name="event-list"),
    path("mine/", views.OrganizedEventListView.as_view(), name="event-organized"),
    path("new/", views.EventCreateView.as_view(), name="event-create"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("<int:pk>/edit/", views.EventEditView.as_view(), name="event-edit"),
    path(
        "<int:pk>/participations/new/",
        views.ParticipationCreateView.as_view(),
        name="participation-create",
    ),
    path("participations/", views.ParticipationListView.as_view(), name="participation-list"),
    path(
        "participations/import/",
        views.ParticipationImportView.as_view(),
        name="participation-import",
    ),
    path(
        "participations/template/",
        views.participation_template,
        name="participation-template",
    ),
    path(
        "participations/<int:pk>/edit/",
        views.ParticipationEditView.as_view(),
        name="participation-edit",
    ),
    path("sites/", views.SiteListView.as_view(), name="site-list"),
    path("sites/new/", views.SiteCreateView.as_view(), name="site-create"),
    path("sites/<int:pk>/", views.SiteDetailView.as_view(), name="site-detail"),
    path("sites/<int:pk>/edit/", views.SiteEditView.as_view(), name="site-edit"),
    path(
        "sites/<int:pk>/internships/new/",
        views.InternshipCreateView.as_view(),
        name="internship-create",
    ),
    path("internships/", views.InternshipListView.as_view(), name="internship-list"),
    path(
        "internships/<int:pk>/edit/",
        views.InternshipEditView.as_view(),
        name="internship-edit",
    ),
]
