from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "nms.registry"
    label = "registry"
    verbose_name = "Реестр"
