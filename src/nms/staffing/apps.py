"""Staff schedules and vacancies, diplomas and profile match, target training and young
specialists."""

from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "nms.staffing"
    label = "staffing"
    verbose_name = "Кадровое обеспечение"
