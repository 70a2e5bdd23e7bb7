"""Students' assessment results aggregated per teacher (no student's identity) and the positive
dynamics after a route.

A result is one line of a report of an assessment procedure (ВПР, ОГЭ, ЕГЭ, a regional test):
the school year, the subject, the class or group as a label («7Б» — a label, never pupils), the
teacher and the organization, the number of participants and the figures of the group (average
score, share passing, share below the threshold). Nothing in these tables names a pupil: there is
no column for a pupil's name, СНИЛС, birth date or any other identity (tests check the fields),
and the import refuses a file that carries one (nms.outcomes.importers).

A school year is stored as the calendar year it begins in: 2024 is the year 2024/2025.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from nms.common.concurrency import version_field


class ResultKind(models.TextChoices):
    VPR = "vpr", "ВПР"
    OGE = "oge", "ОГЭ"
    EGE = "ege", "ЕГЭ"
    REGIONAL = "regional", "региональная диагностика"


def school_year_label(year: int | None) -> str:
    """2024 → «2024/2025»."""
    return f"{year}/{year + 1}" if year else ""


class StudentResult(models.Model):
    """The aggregated result of one class or group of one teacher in one procedure and year."""

    region = models.ForeignKey(
        "registry.Region", models.PROTECT, related_name="+", verbose_name="регион"
    )
    kind = models.CharField("оценочная процедура", max_length=10, choices=ResultKind.choices)
    school_year = models.PositiveSmallIntegerField(
        "учебный год", help_text="год начала учебного года: 2024 — это 2024/2025"
    )
    subject = models.ForeignKey(
        "registry.Subject", models.PROTECT, related_name="student_results", verbose_name="предмет"
    )
    group_label = models.CharField(
        "класс (группа)", max_length=20, help_text="обозначение класса или группы, например «7Б»"
    )
    teacher = models.ForeignKey(
        "registry.Person",
        models.CASCADE,
        related_name="student_results",
        verbose_name="учитель",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        models.CASCADE,
        related_name="student_results",
        verbose_name="организация",
    )
    participants = models.PositiveIntegerField("участников")
    average_score = models.DecimalField(
        "средний балл", max_digits=6, decimal_places=2, null=True, blank=True
    )
    share_passing = models.DecimalField(
        "доля справившихся, %", max_digits=5, decimal_places=2, null=True, blank=True
    )
    share_below = models.DecimalField(
        "доля ниже порога, %", max_digits=5, decimal_places=2, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="загрузил",
    )
    version = version_field()
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "результат обучающихся"
        verbose_name_plural = "результаты обучающихся"
        ordering = ["-school_year", "kind", "teacher__last_name", "group_label", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "school_year", "subject", "organization", "group_label", "teacher"],
                name="student_result_unique_group",
            ),
            models.CheckConstraint(
                condition=models.Q(participants__gt=0), name="student_result_participants"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "school_year", "kind"], name="student_result_region"),
            models.Index(
                fields=["teacher", "kind", "subject", "school_year"], name="student_result_teacher"
            ),
            models.Index(fields=["organization", "school_year"], name="student_result_org"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {school_year_label(self.school_year)}, "
            f"{self.subject}, {self.group_label}"
        )

    def get_absolute_url(self) -> str:
        return reverse("outcomes-result-detail", args=[self.pk])

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


class LowResultsDecision(models.Model):
    """The ЦНППМ's answer to a proposal to flag an organization as ШНОР for a school year."""

    region = models.ForeignKey(
        "registry.Region", models.PROTECT, related_name="+", verbose_name="регион"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        models.CASCADE,
        related_name="low_results_decisions",
        verbose_name="организация",
    )
    school_year = models.PositiveSmallIntegerField("учебный год")
    confirmed = models.BooleanField("подтверждено")
    share_passing = models.DecimalField(
        "доля справившихся на момент решения, %",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    note = models.TextField("примечание", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="решение принял",
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "решение о статусе ШНОР"
        verbose_name_plural = "решения о статусе ШНОР"
        ordering = ["-school_year", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "school_year"], name="low_results_decision_unique"
            )
        ]
        indexes = [models.Index(fields=["region", "school_year"], name="low_results_region")]

    def __str__(self) -> str:
        verdict = "подтверждён" if self.confirmed else "отклонён"
        return f"ШНОР {school_year_label(self.school_year)}: {self.organization} — {verdict}"
