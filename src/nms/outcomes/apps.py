"""Students' assessment results aggregated per teacher (no student's identity) and the positive
dynamics after a route."""

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "nms.outcomes"
    label = "outcomes"
    verbose_name = "Результаты обучающихся"
