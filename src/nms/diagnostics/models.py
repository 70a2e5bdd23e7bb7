"""Competency areas, the item bank, procedures with their groups and variants, attempts, results.

A result holds one score per competency area; a share at or below the procedure's threshold marks
a deficit in that area (DESIGN.md §2.2, seed 002: "60 % и менее").
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

DEFAULT_THRESHOLD = Decimal("60")


class CompetencyArea(models.Model):
    code = models.SlugField("код", max_length=30, unique=True)
    name = models.CharField("наименование", max_length=200, unique=True)
    for_managers = models.BooleanField("только для руководителей", default=False)
    is_subject = models.BooleanField(
        "предметная", default=False, help_text="Задания этой области привязаны к предмету."
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "область компетенций"
        verbose_name_plural = "области компетенций"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class SubCompetency(models.Model):
    area = models.ForeignKey(CompetencyArea, models.CASCADE, related_name="subcompetencies")
    name = models.CharField("наименование", max_length=300)

    class Meta:
        verbose_name = "компетенция"
        verbose_name_plural = "компетенции"
        ordering = ["area", "name"]
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
    """A test item. `options` and `key` depend on the kind (see nms.diagnostics.scoring)."""

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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "задание"
        verbose_name_plural = "банк заданий"
        ordering = ["area__order", "code"]
        indexes = [models.Index(fields=["status", "area", "difficulty", "subject"])]

    def __str__(self):
        return self.code


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
        indexes = [models.Index(fields=["person", "taken_on"])]


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
