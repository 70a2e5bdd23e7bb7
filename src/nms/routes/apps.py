from django.apps import AppConfig


class RoutesConfig(AppConfig):
    name = "nms.routes"
    label = "routes"
    verbose_name = "Индивидуальные образовательные маршруты"

    def ready(self):
        from nms.diagnostics import follow_ups
        from nms.routes import access  # noqa: F401  (registers with the access registry)
        from nms.routes.selectors import result_follow_up

        follow_ups.register(result_follow_up)  # the result page links to the person's route
