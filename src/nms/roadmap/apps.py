"""The roadmap of measures with statuses per reporting period, agreements and the register of the
system's documents."""

from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "nms.roadmap"
    label = "roadmap"
    verbose_name = "Дорожная карта, соглашения и документы"
