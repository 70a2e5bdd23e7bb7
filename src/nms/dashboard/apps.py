from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "nms.dashboard"
    label = "dashboard"
    verbose_name = "Главная страница"
