from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "nms.monitoring"
    label = "monitoring"
    verbose_name = "Мониторинг: показатели и решения"

    def ready(self):
        from nms.accounts.context_processors import NavItem, register_nav
        from nms.monitoring import access  # noqa: F401  (registers with the access registry)

        register_nav(
            85, NavItem("monitoring", "Мониторинг", "monitoring-home", action="monitoring.view")
        )
