from django.urls import path

from nms.monitoring import views

urlpatterns = [
    path("", views.monitoring_home, name="monitoring-home"),
    path("cards/", views.card_board, name="monitoring-cards"),
    path("cards/remind/", views.card_remind, name="monitoring-cards-remind"),
    path("cards/open/<slug:scope_type>/<int:pk>/", views.card_open, name="monitoring-card-open"),
    path("cards/<int:pk>/", views.card_detail, name="monitoring-card"),
    path("cards/<int:pk>/<slug:decision>/", views.card_decide, name="monitoring-card-decide"),
    path(
        "recommendations/",
        views.RecommendationListView.as_view(),
        name="monitoring-recommendations",
    ),
    path(
        "recommendations/generate/",
        views.recommendations_generate,
        name="monitoring-recommendations-generate",
    ),
    path(
        "recommendations/new/",
        views.recommendation_create,
        name="monitoring-recommendation-create",
    ),
    path("recommendations/rules/", views.rules, name="monitoring-rules"),
    path("recommendations/rules/<int:pk>/", views.rule_edit, name="monitoring-rule"),
    path(
        "recommendations/<int:pk>/",
        views.recommendation_detail,
        name="monitoring-recommendation",
    ),
    path(
        "recommendations/<int:pk>/<slug:step>/",
        views.recommendation_step,
        name="monitoring-recommendation-step",
    ),
    path("decisions/", views.DecisionListView.as_view(), name="monitoring-decisions"),
    path("decisions/new/", views.decision_create, name="monitoring-decision-create"),
    path("decisions/<int:pk>/", views.decision_detail, name="monitoring-decision"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="monitoring-decision-edit"),
    path("<slug:scope_type>/<int:pk>/", views.dashboard, name="monitoring-dashboard"),
    path(
        "<slug:scope_type>/<int:pk>/report.<slug:kind>",
        views.report,
        name="monitoring-report",
    ),
    path(
        "<slug:scope_type>/<int:pk>/indicators/<int:indicator_pk>/",
        views.indicator,
        name="monitoring-indicator",
    ),
    path(
        "<slug:scope_type>/<int:pk>/indicators/<int:indicator_pk>/people/",
        views.members,
        name="monitoring-members",
    ),
]
