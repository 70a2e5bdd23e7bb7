from django.apps import AppConfig


class DeficitsConfig(AppConfig):
    name = "nms.deficits"
    label = "deficits"
    verbose_name = "Карты дефицитов"

    def ready(self):
        from nms.deficits import access  # noqa: F401  (registers with the access registry)
