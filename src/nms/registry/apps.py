from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "nms.registry"
    label = "registry"
    verbose_name = "Реестр"

    def ready(self):
        from nms.registry import access  # noqa: F401  (registers with the access registry)
