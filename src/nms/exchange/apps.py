"""The federal exchange files: the formats in one place and the outbound regional passport of
further professional education."""

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "nms.exchange"
    label = "exchange"
    verbose_name = "Обмен с федеральными системами"

    def ready(self):
        from nms.exchange import access  # noqa: F401  (registers with the access registry)
