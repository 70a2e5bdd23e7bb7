"""Effective practices and methodical materials: submission, expert review, publication,
replication."""

from django.apps import AppConfig


class CatalogsConfig(AppConfig):
    name = "nms.catalogs"
    label = "catalogs"
    verbose_name = "Банки практик и методических материалов"
