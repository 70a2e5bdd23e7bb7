from django.apps import AppConfig


class RoutesConfig(AppConfig):
    name = "nms.routes"
    label = "routes"
    verbose_name = "Индивидуальные образовательные маршруты"
