from django.urls import path

from nms.exchange import views

urlpatterns = [
    path("", views.ExchangeView.as_view(), name="exchange-home"),
]
