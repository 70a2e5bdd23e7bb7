from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "nms.monitoring"
    label = "monitoring"
    verbose_name = "Мониторинг: показатели и решения"

    def ready(self):
        from nms.monitoring import access  # noqa: F401  (registers with the access registry)
