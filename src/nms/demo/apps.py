from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "nms.demo"
    label = "demo"
    verbose_name = "Демонстрационный регион"
