"""Monitoring: indicators as data, their computed values by period and territory (snapshots),
information cards for what records cannot give, address recommendations and management decisions.

An indicator is a passport plus a way of computing: from records (`method = records`: numerator
and denominator are named populations with filters, see nms.monitoring.populations), from
information cards (`method = card`), or by a named function for the few the generic engine cannot
express (`method = function`). Built-in indicators (`region` empty) come from the catalogue of the
regulations (CHECKLIST.md §2, codes A1…G24); a region adds its own or overrides a built-in one
with the same code.
"""

from django.conf import settings
from django.db import models

from nms.common.concurrency import version_field


class IndicatorSet(models.TextChoices):
    FEDERAL = "A", "федеральные показатели РС НМС"
    KHAKASSIA_ROADMAP = "B", "дорожная карта (Хакасия)"
    PRIMORYE_ROADMAP = "C", "дорожная карта (Приморье)"
    KHAKASSIA_REPORT = "D", "отчёт о мониторинге (Хакасия)"
    KIROV_ROADMAP = "E", "дорожная карта (Киров)"
    MUNICIPAL_TRACKS = "F", "муниципальный мониторинг, треки 1–3"
    MUNICIPAL_PROGRAM = "G", "муниципальная программа"
    REGION = "R", "показатели региона"


class Unit(models.TextChoices):
    SHARE = "share", "доля, %"
    COUNT = "count", "количество"
    RATIO = "ratio", "отношение"
    YES_NO = "yes_no", "да/нет"
    DATE = "date", "дата"


class Direction(models.TextChoices):
    AT_LEAST = "at_least", "не менее"
    AT_MOST = "at_most", "не более"
    NONE = "none", "без целевого направления"


class Method(models.TextChoices):
    RECORDS = "records", "по записям системы"
    CARD = "card", "по информационным картам"
    FUNCTION = "function", "по правилу в коде"


class ScopeType(models.TextChoices):
    REGION = "region", "регион"
    MUNICIPALITY = "municipality", "муниципалитет"
    ORGANIZATION = "organization", "организация"


class Indicator(models.Model):
    region = models.ForeignKey(
        "registry.Region", models.CASCADE, null=True, blank=True, related_name="+",
        help_text="Пусто — встроенный показатель каталога для всех регионов.",
    )  # fmt: skip
    code = models.CharField("код", max_length=20)
    name = models.TextField("наименование")
    indicator_set = models.CharField("набор", max_length=1, choices=IndicatorSet.choices)
    track = models.PositiveSmallIntegerField(
        "трек муниципального мониторинга", null=True, blank=True
    )
    source = models.CharField("источник", max_length=300, blank=True)
    unit = models.CharField("единица", max_length=10, choices=Unit.choices, default=Unit.SHARE)
    direction = models.CharField(
        "направление", max_length=10, choices=Direction.choices, default=Direction.AT_LEAST
    )
    targets = models.JSONField(
        "целевые значения по периодам", default=dict, blank=True,
        help_text='Например {"2023": 20, "2024": 30}: период → значение.',
    )  # fmt: skip
    frequency = models.CharField("периодичность", max_length=100, blank=True)
    formation = models.TextField("как формируется", blank=True)
    responsible = models.CharField("ответственный субъект", max_length=300, blank=True)
    data_source = models.CharField("источник данных", max_length=300, blank=True)
    method = models.CharField("способ расчёта", max_length=10, choices=Method.choices)
    numerator = models.JSONField("числитель", default=dict, blank=True)
    denominator = models.JSONField("знаменатель", default=dict, blank=True)
    function = models.CharField("правило в коде", max_length=100, blank=True)
    by_subject = models.BooleanField("в разрезе предметов", default=False)
    parameters = models.JSONField("параметры", default=dict, blank=True)
    choices_made = models.TextField("принятые решения по неясным местам", blank=True)
    card_scope = models.CharField(
        "кто заполняет карту", max_length=20, choices=ScopeType.choices, blank=True
    )
    active = models.BooleanField("рассчитывается", default=True)
    definition_version = models.PositiveIntegerField("версия определения", default=1)
    version = version_field()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "показатель"
        verbose_name_plural = "показатели"
        ordering = ["indicator_set", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(region__isnull=True),
                name="indicator_builtin_code_unique",
            ),
            models.UniqueConstraint(fields=["region", "code"], name="indicator_region_code_unique"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.code}. {self.name}"


class Snapshot(models.Model):
    """An indicator's value for one period and one territory (and subject), as computed then."""

    class Status(models.TextChoices):
        COMPUTED = "computed", "рассчитан"
        NO_DATA = "no_data", "нет данных"
        CARDS_PENDING = "cards_pending", "ожидаются информационные карты"

    # Written only by the computation, from ids it has just read, hundreds of thousands of rows
    # at a time: no foreign-key triggers in the database (checking them took seconds at each
    # COMMIT). Deleting a region, an indicator or a subject still deletes its snapshots (Django's
    # CASCADE).
    # Their own indexes would repeat the first columns of the two below.
    region = models.ForeignKey(
        "registry.Region", models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="snapshots", db_constraint=False, db_index=False
    )
    period = models.CharField("период", max_length=30)
    starts_on = models.DateField()
    ends_on = models.DateField()
    scope_type = models.CharField(max_length=20, choices=ScopeType.choices)
    scope_id = models.PositiveBigIntegerField()
    scope_name = models.CharField(max_length=500)
    subject = models.ForeignKey(
        "registry.Subject", models.CASCADE, null=True, blank=True, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    met = models.BooleanField(null=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.COMPUTED)
    details = models.JSONField(default=dict, blank=True)
    definition_version = models.PositiveIntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "значение показателя"
        verbose_name_plural = "значения показателей"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "scope_type", "scope_id", "subject"],
                name="snapshot_unique", nulls_distinct=False,
            )
        ]  # fmt: skip
        indexes = [models.Index(fields=["region", "period", "scope_type", "scope_id"])]


class InfoCard(models.Model):
    """An information card: the card-based indicators of one organization or municipality for a
    period, submitted → returned with a comment / accepted by the municipal coordinator."""

    class Status(models.TextChoices):
        DRAFT = "draft", "заполняется"
        SUBMITTED = "submitted", "на проверке"
        RETURNED = "returned", "возвращена на доработку"
        ACCEPTED = "accepted", "принята"

    region = models.ForeignKey("registry.Region", models.CASCADE, related_name="+")
    period = models.CharField("период", max_length=30)
    scope_type = models.CharField(max_length=20, choices=ScopeType.choices)
    municipality = models.ForeignKey(
        "registry.Municipality", models.CASCADE, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        "registry.Organization", models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField("комментарий проверяющего", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = version_field()

    class Meta:
        verbose_name = "информационная карта"
        verbose_name_plural = "информационные карты"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "scope_type", "municipality", "organization"],
                name="infocard_unique", nulls_distinct=False,
            )
        ]  # fmt: skip


class CardValue(models.Model):
    card = models.ForeignKey(InfoCard, models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+")
    number = models.DecimalField("значение", max_digits=14, decimal_places=2, null=True, blank=True)
    yes = models.BooleanField("да/нет", null=True, blank=True)
    text = models.TextField("пояснение", blank=True)
    link = models.URLField("подтверждающий документ (ссылка)", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["card", "indicator"], name="cardvalue_unique")
        ]


class CardReminder(models.Model):
    """A reminder sent to those who fill a unit's card of a period not yet submitted: who was
    reminded (the addresses), when and by whom; shown on the card board."""

    region = models.ForeignKey("registry.Region", models.CASCADE, related_name="+")
    period = models.CharField("период", max_length=30)
    scope_type = models.CharField(max_length=20, choices=ScopeType.choices)
    municipality = models.ForeignKey(
        "registry.Municipality", models.CASCADE, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        "registry.Organization", models.CASCADE, null=True, blank=True, related_name="+"
    )
    card = models.ForeignKey(
        InfoCard, models.SET_NULL, null=True, blank=True, related_name="reminders"
    )
    card_status = models.CharField("состояние карты", max_length=40)
    recipients = models.JSONField("кому (адреса)", default=list, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="напомнил",
    )  # fmt: skip
    sent_at = models.DateTimeField("когда", auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "напоминание об информационной карте"
        verbose_name_plural = "напоминания об информационных картах"
        ordering = ["-sent_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "period", "scope_type"]),
            models.Index(fields=["organization", "period"]),
            models.Index(fields=["municipality", "period"]),
        ]


class Addressee(models.TextChoices):
    TEACHERS = "teachers", "педагогам"
    ORGANIZATION = "organization", "образовательной организации"
    MUNICIPAL_SERVICE = "municipal_service", "муниципальной методической службе"
    REGION = "region", "региональным структурам"


class RecommendationRule(models.Model):
    """When an indicator is below target for a unit, recommend this text to these addressees."""

    region = models.ForeignKey("registry.Region", models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="rules")
    addressee = models.CharField(max_length=20, choices=Addressee.choices)
    text = models.TextField("текст рекомендации")
    active = models.BooleanField(default=True)
    version = version_field()


class Recommendation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        PUBLISHED = "published", "опубликована"
        DONE = "done", "выполнена"

    region = models.ForeignKey("registry.Region", models.CASCADE, related_name="+")
    rule = models.ForeignKey(
        RecommendationRule, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, models.SET_NULL, null=True, blank=True)
    period = models.CharField(max_length=30)
    addressee = models.CharField(max_length=20, choices=Addressee.choices)
    municipality = models.ForeignKey(
        "registry.Municipality", models.CASCADE, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        "registry.Organization", models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.TextField("рекомендация")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = version_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "адресная рекомендация"
        verbose_name_plural = "адресные рекомендации"


class Decision(models.Model):
    """A management decision (seed 004 §8–9) and the indicators and units it aims to change."""

    class Status(models.TextChoices):
        PLANNED = "planned", "принято"
        DONE = "done", "исполнено"
        OVERDUE = "overdue", "просрочено"

    region = models.ForeignKey("registry.Region", models.CASCADE, related_name="+")
    title = models.CharField("решение", max_length=500)
    document = models.CharField("документ (вид, номер)", max_length=300, blank=True)
    decided_on = models.DateField("дата")
    measures = models.TextField("меры")
    indicators = models.ManyToManyField(Indicator, related_name="decisions", blank=True)
    municipalities = models.ManyToManyField("registry.Municipality", related_name="+", blank=True)
    organizations = models.ManyToManyField("registry.Organization", related_name="+", blank=True)
    base_period = models.CharField("базовый период", max_length=30)
    responsible = models.CharField("ответственный", max_length=300)
    deadline = models.DateField("срок")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = version_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "управленческое решение"
        verbose_name_plural = "управленческие решения"
        ordering = ["-decided_on", "-id"]
