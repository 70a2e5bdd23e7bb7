from django.apps import AppConfig


class RoutesConfig(AppConfig):
    name = "nms.routes"
    label = "routes"
    verbose_name = "Индивидуальные образовательные маршруты"

    def ready(self):
        from nms.routes import access  # noqa: F401  (registers with the access registry)
