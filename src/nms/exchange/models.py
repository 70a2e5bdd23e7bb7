"""The federal exchange files: the formats in one place and the outbound regional passport of
further professional education.

`PassportExport` records each regional passport of further professional education (ДПО) formed
for a period: who formed it and when, and its main figures. The monitoring counts them (B3: the
passport was formed for the year).
"""

from django.conf import settings
from django.db import models


class PassportExport(models.Model):
    region = models.ForeignKey(
        "registry.Region", models.PROTECT, related_name="+", verbose_name="регион"
    )
    starts_on = models.DateField("начало периода")
    ends_on = models.DateField("окончание периода")
    programmes = models.PositiveIntegerField("программ ДПП в регионе", default=0)
    completions = models.PositiveIntegerField("завершений обучения", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="сформировал",
    )
    created_at = models.DateTimeField("сформирован", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "региональный паспорт ДПО"
        verbose_name_plural = "региональные паспорта ДПО"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region", "ends_on"], name="passport_region_period")]

    def __str__(self) -> str:
        return f"Паспорт ДПО {self.starts_on:%d.%m.%Y} – {self.ends_on:%d.%m.%Y}"
