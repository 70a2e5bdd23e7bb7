from django.apps import AppConfig


class DiagnosticsConfig(AppConfig):
    name = "nms.diagnostics"
    label = "diagnostics"
    verbose_name = "Диагностика профессиональных компетенций"
