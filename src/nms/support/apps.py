from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "nms.support"
    label = "support"
    verbose_name = "Методическое сопровождение"

    def ready(self):
        from nms.support import access  # noqa: F401  (registers with the access registry)
