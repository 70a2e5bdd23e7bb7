from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "nms.common"
    label = "common"
    verbose_name = "Общее"
