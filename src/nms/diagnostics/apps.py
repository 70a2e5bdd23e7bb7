from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "nms.diagnostics"
    label = "diagnostics"
    verbose_name = "Диагностика профессиональных компетенций"

    def ready(self):
        from nms.diagnostics import access  # noqa: F401  (registers with the access registry)
