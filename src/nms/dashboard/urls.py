from django.urls import path

from nms.dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
]
