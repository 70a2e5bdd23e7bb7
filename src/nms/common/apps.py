from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "nms.common"
    label = "common"
    verbose_name = "Общее"

    def ready(self):
        from nms.common import access  # noqa: F401  (registers with the access registry)
