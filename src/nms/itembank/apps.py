from django.apps import AppConfig


class ItembankConfig(AppConfig):
    name = "nms.itembank"
    label = "itembank"
    verbose_name = "Банк заданий и области компетенций"

    def ready(self):
        from nms.itembank import access  # noqa: F401  (registers with the access registry)
