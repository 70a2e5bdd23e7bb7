"""Procedures with their groups and variants, attempts, results.

A result holds one score per competency area; a share at or below the procedure's threshold marks
a deficit in that area (DESIGN.md §2.2, seed 002: "60 % и менее").
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from nms.common.concurrency import version_field
from nms.itembank.models import CompetencyArea, Difficulty, Item

DEFAULT_THRESHOLD = Decimal("60")


class Level(models.TextChoices):
    FEDERAL = "federal", "федеральная"
    REGIONAL = "regional", "региональная"
    MUNICIPAL = "municipal", "муниципальная"
    SELF = "self", "самодиагностика"


class ProcedureKind(models.TextChoices):
    ENTRY = "entry", "входная"
    EXIT = "exit", "выходная"


class Procedure(models.Model):
    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="procedures")
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="procedures",
        verbose_name="муниципалитет",
        help_text="Для муниципальной диагностики.",
    )
    name = models.CharField("наименование", max_length=300)
    level = models.CharField("уровень", max_length=20, choices=Level.choices)
    kind = models.CharField(
        "вид", max_length=10, choices=ProcedureKind.choices, default=ProcedureKind.ENTRY
    )
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    threshold = models.DecimalField(
        "порог дефицита, %",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Результат в области не выше порога означает дефицит.",
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        "ограничение времени, мин", null=True, blank=True
    )
    seed = models.PositiveIntegerField("зерно сборки вариантов", default=1)
    is_external = models.BooleanField(
        "результаты загружаются извне", default=False, help_text="Например, федеральная оценка."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = version_field()

    class Meta:
        verbose_name = "диагностическая процедура"
        verbose_name_plural = "диагностические процедуры"
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="procedure_unique_name")
        ]

    def __str__(self):
        return self.name


class BlueprintRow(models.Model):
    """How many items of an area, by difficulty, a variant of the procedure holds."""

    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="blueprint")
    area = models.ForeignKey(CompetencyArea, models.PROTECT, verbose_name="область")
    easy = models.PositiveSmallIntegerField("базовых", default=0)
    medium = models.PositiveSmallIntegerField("повышенных", default=0)
    hard = models.PositiveSmallIntegerField("высоких", default=0)

    class Meta:
        verbose_name = "строка спецификации"
        verbose_name_plural = "спецификация"
        ordering = ["area__order"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "area"], name="blueprint_unique_area")
        ]

    @property
    def total(self) -> int:
        return self.easy + self.medium + self.hard

    def counts(self) -> dict[int, int]:
        return {
            Difficulty.EASY: self.easy,
            Difficulty.MEDIUM: self.medium,
            Difficulty.HARD: self.hard,
        }


class Group(models.Model):
    """A target group of a procedure, chosen by registry filters; it gets its own variant."""

    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField("номер")
    name = models.CharField("наименование", max_length=300)
    criteria = models.JSONField("условия отбора", default=dict, blank=True)
    subject = models.ForeignKey(
        "registry.Subject",
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name="предмет",
        help_text="Предмет для заданий предметной области.",
    )
    members = models.ManyToManyField(
        "registry.Person", through="Membership", related_name="diagnostic_groups"
    )

    class Meta:
        verbose_name = "группа"
        verbose_name_plural = "группы"
        ordering = ["procedure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="group_unique_number")
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    group = models.ForeignKey(Group, models.CASCADE)
    person = models.ForeignKey("registry.Person", models.CASCADE)
    procedure = models.ForeignKey(Procedure, models.CASCADE, editable=False)

    class Meta:
        constraints = [
            # One person, one group per procedure: a person takes one variant.
            models.UniqueConstraint(fields=["procedure", "person"], name="membership_unique")
        ]


class Variant(models.Model):
    group = models.OneToOneField(Group, models.CASCADE, related_name="variant")
    items = models.ManyToManyField(Item, through="VariantItem", related_name="variants")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "вариант"
        verbose_name_plural = "варианты"


class VariantItem(models.Model):
    variant = models.ForeignKey(Variant, models.CASCADE, related_name="variant_items")
    item = models.ForeignKey(Item, models.PROTECT)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["variant", "position"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "item"], name="variant_item_unique"),
            models.UniqueConstraint(fields=["variant", "position"], name="variant_position_unique"),
        ]


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "идёт"
    SUBMITTED = "submitted", "завершена"
    EXPIRED = "expired", "время истекло"


class Attempt(models.Model):
    person = models.ForeignKey("registry.Person", models.CASCADE, related_name="attempts")
    variant = models.ForeignKey(Variant, models.PROTECT, related_name="attempts")
    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )

    class Meta:
        verbose_name = "прохождение"
        verbose_name_plural = "прохождения"
        constraints = [
            models.UniqueConstraint(fields=["procedure", "person"], name="attempt_unique")
        ]


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, models.PROTECT)
    response = models.JSONField(null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "item"], name="answer_unique")]


class ResultSource(models.TextChoices):
    ONLINE = "online", "онлайн-тестирование"
    IMPORT = "import", "загрузка результатов"


class Result(models.Model):
    person = models.ForeignKey("registry.Person", models.CASCADE, related_name="diagnostic_results")
    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="results")
    taken_on = models.DateField("дата")
    source = models.CharField(max_length=10, choices=ResultSource.choices)
    share = models.DecimalField("результат, %", max_digits=5, decimal_places=2)
    has_deficit = models.BooleanField("есть дефицит", default=False)

    class Meta:
        verbose_name = "результат диагностики"
        verbose_name_plural = "результаты диагностики"
        ordering = ["-taken_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "person"], name="result_unique")
        ]
        indexes = [
            models.Index(fields=["person", "taken_on"]),
            # The lists' order (newest first): a page walks it, checking each result's person.
            models.Index(fields=["-taken_on", "-id"], name="result_newest_first"),
        ]


class AreaScore(models.Model):
    result = models.ForeignKey(Result, models.CASCADE, related_name="area_scores")
    area = models.ForeignKey(CompetencyArea, models.PROTECT, related_name="scores")
    score = models.DecimalField("балл", max_digits=8, decimal_places=2)
    max_score = models.DecimalField("максимальный балл", max_digits=8, decimal_places=2)
    share = models.DecimalField("доля, %", max_digits=5, decimal_places=2)
    is_deficit = models.BooleanField("дефицит")

    class Meta:
        ordering = ["area__order"]
        constraints = [
            models.UniqueConstraint(fields=["result", "area"], name="areascore_unique"),
            models.CheckConstraint(
                condition=models.Q(share__gte=0, share__lte=100), name="areascore_share_range"
            ),
        ]
        indexes = [models.Index(fields=["area", "is_deficit"])]
