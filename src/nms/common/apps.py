import axes.apps
from django.apps import AppConfig


class CommonConfig(AppConfig):
    default = True
    name = "nms.common"
    label = "common"
    verbose_name = "Общее"

    def ready(self):
        from nms.common import (
            access,  # noqa: F401  (registers with the access registry)
            drf_speed,
        )

        drf_speed.install()


class AxesConfig(axes.apps.AppConfig):
    """django-axes (the login lockout) under a Russian name in the admin, not a raw «AXES»."""

    verbose_name = "Блокировка входа после неудачных попыток"
    default = False
