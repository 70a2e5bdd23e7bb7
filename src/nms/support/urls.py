from django.urls import path

from nms.support import views

urlpatterns = [
    path("", views.home, name="support-home"),
    path("actives/", views.MembershipListView.as_view(), name="support-memberships"),
    path("actives/new/", views.MembershipCreateView.as_view(), name="support-membership-create"),
    path("actives/<int:pk>/", views.MembershipDetailView.as_view(), name="support-membership"),
    path(
        "actives/<int:pk>/edit/",
        views.MembershipEditView.as_view(),
        name="support-membership-edit",
    ),
    path("actives/<int:pk>/approve/", views.membership_approve, name="support-membership-approve"),
    path("actives/<int:pk>/end/", views.membership_end, name="support-membership-end"),
    path("actives/candidates/", views.CandidateListView.as_view(), name="support-candidates"),
    path("actives/order/", views.rma_order, name="support-rma-order"),
    path("methodists/", views.methodists, name="support-methodists"),
    path("methodists/mine/", views.my_caseload, name="support-my-caseload"),
    path("methodists/<int:pk>/", views.MethodistCaseloadView.as_view(), name="support-caseload"),
    path("caseloads/assign/", views.caseloads_assign, name="support-caseloads-assign"),
    path("caseloads/new/", views.caseload_add, name="support-caseload-add"),
    path("caseloads/<int:pk>/release/", views.caseload_release, name="support-caseload-release"),
    path("requests/", views.RequestListView.as_view(), name="support-requests"),
    path("requests/new/", views.RequestCreateView.as_view(), name="support-request-create"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="support-request"),
    path("requests/<int:pk>/answer/", views.request_answer, name="support-request-answer"),
    path(
        "requests/<int:pk>/attachment/",
        views.request_attachment,
        name="support-request-attachment",
    ),
    path("acts/", views.ActListView.as_view(), name="support-acts"),
    path("acts/new/", views.ActCreateView.as_view(), name="support-act-create"),
    path("acts/<int:pk>/", views.ActDetailView.as_view(), name="support-act"),
    path("acts/<int:pk>/edit/", views.ActEditView.as_view(), name="support-act-edit"),
    path("young/", views.YoungTeachersView.as_view(), name="support-young"),
    path("experts/", views.ExpertListView.as_view(), name="support-experts"),
    path("experts/new/", views.ExpertCreateView.as_view(), name="support-expert-create"),
    path("experts/<int:pk>/edit/", views.ExpertEditView.as_view(), name="support-expert-edit"),
]
