"""The public portal (no login) and the portal's working pages (/portal/manage/…)."""

from django.urls import path

from nms.portal import views

urlpatterns = [
    # -- public ----------------------------------------------------------------------------------
    path("", views.portal_home, name="portal-home"),
    path("news/", views.public_news_list, name="portal-news"),
    path("news/<int:pk>/", views.public_news_detail, name="portal-news-detail"),
    path("communities/", views.public_community_list, name="portal-communities"),
    path("communities/<int:pk>/", views.public_community_detail, name="portal-community"),
    path("innovation-sites/", views.public_site_list, name="portal-sites"),
    path("innovation-sites/<int:pk>/", views.public_site_detail, name="portal-site"),
    path(
        "innovation-sites/<int:pk>/documents/<int:doc_pk>/",
        views.public_site_file,
        name="portal-site-document",
    ),
    path("navigator/", views.public_navigator, name="portal-navigator"),
    path("navigator/<int:pk>/", views.public_resource_detail, name="portal-resource"),
    path("internship-sites/", views.public_internship_list, name="portal-internships"),
    path("internship-sites/<int:pk>/", views.public_internship_detail, name="portal-internship"),
    path("monitoring/", views.public_monitoring, name="portal-monitoring"),
    # -- working pages ---------------------------------------------------------------------------
    path("manage/sites/", views.SiteListView.as_view(), name="innovation-site-list"),
    path("manage/sites/new/", views.SiteCreateView.as_view(), name="innovation-site-create"),
    path("manage/sites/<int:pk>/", views.SiteDetailView.as_view(), name="innovation-site-detail"),
    path("manage/sites/<int:pk>/edit/", views.SiteEditView.as_view(), name="innovation-site-edit"),
    path("manage/sites/<int:pk>/decide/", views.site_decide, name="innovation-site-decide"),
    path("manage/sites/<int:pk>/documents/", views.site_document, name="innovation-site-document"),
    path(
        "manage/sites/<int:pk>/documents/<int:doc_pk>/",
        views.site_file,
        name="innovation-site-file",
    ),
    path("manage/communities/", views.CommunityListView.as_view(), name="community-list"),
    path("manage/communities/new/", views.CommunityCreateView.as_view(), name="community-create"),
    path(
        "manage/communities/<int:pk>/",
        views.CommunityDetailView.as_view(),
        name="community-detail",
    ),
    path(
        "manage/communities/<int:pk>/edit/",
        views.CommunityEditView.as_view(),
        name="community-edit",
    ),
    path(
        "manage/communities/<int:pk>/members/",
        views.community_member,
        name="community-member",
    ),
    path(
        "manage/communities/<int:pk>/members/<int:member_pk>/remove/",
        views.community_member_remove,
        name="community-member-remove",
    ),
    path("manage/resources/", views.ResourceListView.as_view(), name="resource-list"),
    path("manage/resources/import/", views.ResourceImportView.as_view(), name="resource-import"),
    path("manage/resources/template/", views.resource_template, name="resource-template"),
    path("manage/resources/new/", views.ResourceCreateView.as_view(), name="resource-create"),
    path("manage/resources/<int:pk>/", views.ResourceDetailView.as_view(), name="resource-detail"),
    path("manage/resources/<int:pk>/edit/", views.ResourceEditView.as_view(), name="resource-edit"),
    path("manage/news/", views.NewsListView.as_view(), name="news-list"),
    path("manage/news/new/", views.NewsCreateView.as_view(), name="news-create"),
    path("manage/news/<int:pk>/", views.NewsDetailView.as_view(), name="news-detail"),
    path("manage/news/<int:pk>/edit/", views.NewsEditView.as_view(), name="news-edit"),
]
