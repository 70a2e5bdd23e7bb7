"""Competency areas with their competencies, and the item bank.

The models moved here from the diagnostics app and keep its tables (`db_table`): the move
changed no data (see migrations/0001_initial.py).
"""

from django.db import models
from django.urls import reverse

from nms.common.concurrency import version_field


class CompetencyArea(models.Model):
    code = models.SlugField("код", max_length=30, unique=True)
    name = models.CharField("наименование", max_length=200, unique=True)
    for_managers = models.BooleanField("только для руководителей", default=False)
    is_subject = models.BooleanField(
        "предметная", default=False, help_text="Задания этой области привязаны к предмету."
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)
    version = version_field()

    class Meta:
        verbose_name = "область компетенций"
        verbose_name_plural = "области компетенций"
        ordering = ["order", "name"]
        db_table = "diagnostics_competencyarea"

    def __str__(self):
        return self.name


class SubCompetency(models.Model):
    area = models.ForeignKey(CompetencyArea, models.CASCADE, related_name="subcompetencies")
    name = models.CharField("наименование", max_length=300)
    version = version_field()

    class Meta:
        verbose_name = "компетенция"
        verbose_name_plural = "компетенции"
        ordering = ["area", "name"]
        db_table = "diagnostics_subcompetency"
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="subcompetency_unique_name")
        ]

    def __str__(self):
        return self.name


class Difficulty(models.IntegerChoices):
    EASY = 1, "базовый"
    MEDIUM = 2, "повышенный"
    HARD = 3, "высокий"


class ItemKind(models.TextChoices):
    SINGLE = "single", "один верный ответ"
    MULTIPLE = "multiple", "несколько верных ответов"
    SHORT = "short", "краткий ответ"
    MATCHING = "matching", "установление соответствия"
    ORDERING = "ordering", "установление последовательности"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "черновик"
    REVIEW = "review", "на экспертизе"
    APPROVED = "approved", "утверждено"
    REJECTED = "rejected", "отклонено"


class Item(models.Model):
    """A test item. `options` and `key` depend on the kind (see nms.itembank.scoring)."""

    area = models.ForeignKey(
        CompetencyArea, models.PROTECT, related_name="items", verbose_name="область"
    )
    subcompetency = models.ForeignKey(
        SubCompetency,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="компетенция",
    )
    subject = models.ForeignKey(
        "registry.Subject",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="предмет",
    )
    code = models.CharField("шифр", max_length=40, unique=True)
    kind = models.CharField("тип", max_length=20, choices=ItemKind.choices)
    difficulty = models.PositiveSmallIntegerField(
        "уровень сложности", choices=Difficulty.choices, default=Difficulty.MEDIUM
    )
    text = models.TextField("формулировка")
    options = models.JSONField("варианты", default=list, blank=True)
    key = models.JSONField("ключ")
    points = models.PositiveSmallIntegerField("баллов", default=1)
    status = models.CharField(
        "статус экспертизы", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    version = version_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "задание"
        verbose_name_plural = "банк заданий"
        ordering = ["area__order", "code"]
        db_table = "diagnostics_item"
        indexes = [models.Index(fields=["status", "area", "difficulty", "subject"])]

    def __str__(self):
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("bank-detail", args=[self.pk])
