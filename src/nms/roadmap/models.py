"""The roadmap of measures (комплекс мер, «дорожная карта») with statuses per reporting period,
agreements and the register of the system's documents.

A roadmap of a region for a period of years → directions (1 «Управление системой…»,
2 «Непрерывное повышение профессионального мастерства…», 3 «Содержательно-методическое
обеспечение…») → system-forming measures → activities. An activity has its number as in the
document («1.2.3»), the responsible subject (a role and territory: the ministry, ЦНППМ, the
institute, a municipality's service, an organization — the access registry finds "my" activities
by it), executors, the deadline (kinds below, parsed from the document's text, which is kept),
the expected result and, where it is a number, the monitoring indicator with its target.

Reporting period = a calendar year of the roadmap. For each year in which the activity is due,
one `ActivityPeriod` row keeps its due date (the last due date of the deadline in that year),
the status entered (planned, in progress, done) with evidence, and who and when. «Overdue» is
never stored: it is computed — due date passed and not done (`overdue_q` and
`ActivityPeriod.state`, side by side below: the one rule).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse

from nms.common.concurrency import version_field
from nms.common.text import search_key


class Searchable(models.Model):
    """`search_text`: the fields a list searches, lowercased, ё as е (kept on every save;
    bulk writes call `fill_search`)."""

    SEARCH_FIELDS: tuple = ()
    search_text = models.TextField("для поиска", blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_search()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def fill_search(self):
        self.search_text = search_key(*(getattr(self, name) or "" for name in self.SEARCH_FIELDS))
        return self


class ResponsibleKind(models.TextChoices):
    MINISTRY = "ministry", "министерство (орган управления образованием)"
    CNPPM = "cnppm", "ЦНППМ"
    INSTITUTE = "institute", "институт развития образования (ИРО/ИПК)"
    MUNICIPALITY = "municipality", "муниципальная методическая служба (МО)"
    ORGANIZATION = "organization", "организация"
    OTHER = "other", "другой субъект"


class DeadlineKind(models.TextChoices):
    DATE = "date", "дата"
    DATES = "dates", "несколько дат"
    ANNUAL = "annual", "ежегодно"
    CONSTANT = "constant", "постоянно"
    PERIOD = "period", "период"


class Status(models.TextChoices):
    PLANNED = "planned", "запланировано"
    IN_PROGRESS = "in_progress", "выполняется"
    DONE = "done", "выполнено"


class State(models.TextChoices):
    """The status shown: the one entered, or «просрочено» (computed, never stored)."""

    PLANNED = "planned", "запланировано"
    IN_PROGRESS = "in_progress", "выполняется"
    DONE = "done", "выполнено"
    OVERDUE = "overdue", "просрочено"


class Roadmap(Searchable):
    SEARCH_FIELDS = ("title",)
    region = models.ForeignKey(
        "registry.Region", models.CASCADE, related_name="roadmaps", verbose_name="регион"
    )
    title = models.CharField("наименование", max_length=500)
    starts_year = models.PositiveSmallIntegerField("с года")
    ends_year = models.PositiveSmallIntegerField("по год")
    approved_on = models.DateField("утверждена", null=True, blank=True)
    approved_by = models.CharField(
        "утверждена документом", max_length=300, blank=True, help_text="Приказ, распоряжение"
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["-starts_year", "title", "id"]
        indexes = [models.Index(fields=["region", "starts_year"], name="roadmap_region_year")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmap-detail", args=[self.pk])

    @property
    def years(self) -> list[int]:
        return list(range(self.starts_year, self.ends_year + 1))

    @property
    def period_label(self) -> str:
        if self.starts_year == self.ends_year:
            return str(self.starts_year)
        return f"{self.starts_year}–{self.ends_year}"


class Direction(Searchable):
    """A direction of a roadmap (1, 2, 3…). Deleted only when empty: no measures in it (the
    service's rule, `services.direction_delete`)."""

    SEARCH_FIELDS = ("title",)
    roadmap = models.ForeignKey(
        Roadmap, models.CASCADE, related_name="directions", verbose_name="дорожная карта"
    )
    number = models.PositiveSmallIntegerField("номер")
    title = models.CharField("наименование", max_length=500)
    version = version_field()

    class Meta:
        verbose_name = "направление"
        verbose_name_plural = "направления"
        ordering = ["roadmap", "number"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="roadmap_direction_number")
        ]

    def __str__(self):
        return f"Направление {self.number} «{self.title}»"

    def get_absolute_url(self):
        return reverse("roadmap-detail", args=[self.roadmap_id]) + f"#direction-{self.pk}"


class Measure(Searchable):
    """A system-forming measure (системообразующее мероприятие) of a direction. Deleted only when
    no activity belongs to it (`services.measure_delete`)."""

    SEARCH_FIELDS = ("number", "title")
    direction = models.ForeignKey(
        Direction, models.CASCADE, related_name="measures", verbose_name="направление"
    )
    number = models.CharField("№", max_length=20)
    title = models.TextField("наименование")
    position = models.PositiveIntegerField("порядок", default=0)
    version = version_field()

    class Meta:
        verbose_name = "системообразующее мероприятие"
        verbose_name_plural = "системообразующие мероприятия"
        ordering = ["direction", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["direction", "number"], name="roadmap_measure_number")
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("roadmap-detail", args=[self.direction.roadmap_id]) + f"#measure-{self.pk}"


class Activity(Searchable):
    SEARCH_FIELDS = ("number", "title", "responsible_text", "executors")
    roadmap = models.ForeignKey(
        Roadmap, models.CASCADE, related_name="activities", verbose_name="дорожная карта"
    )
    measure = models.ForeignKey(
        Measure,
        models.CASCADE,
        related_name="activities",
        verbose_name="системообразующее мероприятие",
    )
    number = models.CharField("№", max_length=20)
    position = models.PositiveIntegerField("порядок", default=0)
    title = models.TextField("мероприятие")
    responsible_kind = models.CharField(
        "ответственный субъект", max_length=20, choices=ResponsibleKind.choices
    )
    responsible_municipality = models.ForeignKey(
        "registry.Municipality", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="ответственный муниципалитет",
    )  # fmt: skip
    responsible_organization = models.ForeignKey(
        "registry.Organization", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="ответственная организация",
    )  # fmt: skip
    responsible_text = models.CharField(
        "ответственный (как в документе)", max_length=500, blank=True
    )
    executors = models.TextField("исполнители (соисполнители)", blank=True)
    deadline_kind = models.CharField("вид срока", max_length=10, choices=DeadlineKind.choices)
    deadline_text = models.CharField("срок (как в документе)", max_length=500, blank=True)
    deadline_dates = models.JSONField(
        "даты срока", default=list, blank=True, help_text="ГГГГ-ММ-ДД: дата или несколько дат"
    )
    deadline_annual = models.JSONField(
        "ежегодно: дни", default=list, blank=True, help_text="[месяц, день], …"
    )
    deadline_from = models.DateField("срок: с", null=True, blank=True)
    deadline_to = models.DateField("срок: по", null=True, blank=True)
    result = models.TextField("ожидаемый результат", blank=True)
    indicator = models.ForeignKey(
        "monitoring.Indicator", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="показатель мониторинга",
    )  # fmt: skip
    target_value = models.DecimalField(
        "целевое значение", max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "мероприятие дорожной карты"
        verbose_name_plural = "мероприятия дорожной карты"
        ordering = ["roadmap", "position", "id"]
        indexes = [
            models.Index(fields=["roadmap", "position"], name="roadmap_activity_order"),
            models.Index(fields=["responsible_kind"], name="roadmap_activity_resp"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="roadmap_activity_number")
        ]

    def __str__(self):
        return f"{self.number} {self.title[:120]}"

    def get_absolute_url(self):
        return reverse("roadmap-activity-detail", args=[self.pk])

    @property
    def responsible_display(self) -> str:
        if self.responsible_text:
            return self.responsible_text
        named = self.responsible_organization or self.responsible_municipality
        return str(named) if named else self.get_responsible_kind_display()


def overdue_q(today: date, prefix: str = "") -> Q:
    """THE rule of «просрочено»: the period's due date has passed and it is not done."""
    return Q(**{f"{prefix}due_on__lt": today}) & ~Q(**{f"{prefix}status": Status.DONE})


def state_expression(today: date, prefix: str = ""):
    """The shown state as an SQL expression (lists, filters, API): overdue by `overdue_q`."""
    return Case(
        When(overdue_q(today, prefix), then=Value(State.OVERDUE.value)),
        default=f"{prefix}status",
        output_field=models.CharField(),
    )


class ActivityPeriod(models.Model):
    """An activity in one reporting period (a year in which it is due): its status and
    evidence."""

    activity = models.ForeignKey(
        Activity, models.CASCADE, related_name="periods", verbose_name="мероприятие"
    )
    year = models.PositiveSmallIntegerField("отчётный период (год)")
    due_on = models.DateField("срок в периоде")
    status = models.CharField(
        "статус", max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField("выполнено", null=True, blank=True)
    evidence = models.TextField("подтверждение", blank=True)
    links = models.TextField("ссылки", blank=True, help_text="По одной на строке")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="кто отметил",
    )  # fmt: skip
    reported_at = models.DateTimeField("когда отмечено", null=True, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "статус мероприятия за период"
        verbose_name_plural = "статусы мероприятий за периоды"
        ordering = ["activity", "year"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "year"], name="roadmap_period_unique")
        ]
        indexes = [
            models.Index(fields=["due_on", "status"], name="roadmap_period_due"),
            models.Index(fields=["year"], name="roadmap_period_year"),
        ]

    def __str__(self):
        return f"{self.activity.number} — {self.year}"

    def get_absolute_url(self):
        return reverse("roadmap-activity-detail", args=[self.activity_id])

    def is_overdue(self, today: date) -> bool:
        """`overdue_q` for one row in memory."""
        return self.due_on < today and self.status != Status.DONE

    def state(self, today: date) -> str:
        return State.OVERDUE.value if self.is_overdue(today) else self.status

    def state_label(self, today: date) -> str:
        return State(self.state(today)).label

    @property
    def on_time(self) -> bool:
        return (
            self.status == Status.DONE
            and self.done_on is not None
            and (self.done_on <= self.due_on)
        )

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class EvidenceFile(models.Model):
    period = models.ForeignKey(
        ActivityPeriod, models.CASCADE, related_name="files", verbose_name="статус за период"
    )
    file = models.FileField("файл", upload_to="roadmap/evidence/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)

    class Meta:
        verbose_name = "файл подтверждения"
        verbose_name_plural = "файлы подтверждения"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.filename

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


# -- agreements --------------------------------------------------------------------------------
class AgreementKind(models.TextChoices):
    TRIPARTITE = "tripartite", "трёхстороннее (министерство — ЦНППМ — муниципалитет)"
    COOPERATION = "cooperation", "о сотрудничестве"
    NETWORK = "network", "о сетевом взаимодействии"
    EDUCATION = "education", "с колледжем или вузом (ПОО/вуз)"


class Agreement(Searchable):
    SEARCH_FIELDS = ("number", "subject", "partner")
    region = models.ForeignKey(
        "registry.Region", models.CASCADE, related_name="agreements", verbose_name="регион"
    )
    kind = models.CharField("вид", max_length=20, choices=AgreementKind.choices)
    number = models.CharField("номер", max_length=100, blank=True)
    subject = models.TextField("предмет соглашения")
    municipality = models.ForeignKey(
        "registry.Municipality", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="муниципалитет-сторона",
    )  # fmt: skip
    organizations = models.ManyToManyField(
        "registry.Organization", blank=True, related_name="+", verbose_name="организации-стороны"
    )
    partner = models.CharField(
        "другая сторона", max_length=500, blank=True, help_text="Вуз, НМЦ, иной партнёр"
    )
    signed_on = models.DateField("подписано")
    valid_from = models.DateField("действует с")
    valid_to = models.DateField("действует по", null=True, blank=True)
    file = models.FileField("файл", upload_to="roadmap/agreements/", blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "соглашение"
        verbose_name_plural = "соглашения"
        ordering = ["-signed_on", "-id"]
        indexes = [
            models.Index(fields=["region", "kind", "valid_from"], name="roadmap_agreement_kind"),
        ]

    def __str__(self):
        number = f" № {self.number}" if self.number else ""
        return f"Соглашение{number} от {self.signed_on:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("roadmap-agreement-detail", args=[self.pk])

    def is_current(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


# -- documents ---------------------------------------------------------------------------------
class DocumentKind(models.TextChoices):
    SYSTEM_REGULATION = "system_regulation", "положение о РС НМС"
    RMA_REGULATION = "rma_regulation", "положение о региональном методическом активе"
    RMA_ORDER = "rma_order", "приказ о составе РМА"
    RUMO_REGULATION = "rumo_regulation", "положение о РУМО"
    MONITORING_PROCEDURE = "monitoring_procedure", "порядок мониторинга"
    ROADMAP = "roadmap", "комплекс мер («дорожная карта»)"
    SUBJECT_ROADMAP = "subject_roadmap", "дорожная карта субъекта РС НМС"
    ACTIVITY_PLAN = "activity_plan", "план деятельности субъекта РС НМС"
    MUNICIPAL_REGULATION = "municipal_regulation", "положение о муниципальной системе НМС"
    STAFFING_PLAN = "staffing_plan", "муниципальный план кадрового обеспечения"
    OTHER = "other", "другой документ"


class DocumentLevel(models.TextChoices):
    REGIONAL = "regional", "региональный"
    MUNICIPAL = "municipal", "муниципальный"
    ORGANIZATION = "organization", "организации"


class Document(Searchable):
    SEARCH_FIELDS = ("title", "number")
    region = models.ForeignKey(
        "registry.Region", models.CASCADE, related_name="system_documents", verbose_name="регион"
    )
    kind = models.CharField("вид", max_length=30, choices=DocumentKind.choices)
    title = models.CharField("наименование", max_length=500)
    number = models.CharField("номер", max_length=100, blank=True)
    adopted_on = models.DateField("дата")
    repealed_on = models.DateField("утратил силу", null=True, blank=True)
    level = models.CharField("уровень", max_length=20, choices=DocumentLevel.choices)
    municipality = models.ForeignKey(
        "registry.Municipality", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="муниципалитет",
    )  # fmt: skip
    organization = models.ForeignKey(
        "registry.Organization", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="организация",
    )  # fmt: skip
    published = models.BooleanField(
        "опубликован", default=True, help_text="Виден всем пользователям региона, и педагогам"
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "документ системы"
        verbose_name_plural = "документы системы"
        ordering = ["-adopted_on", "-id"]
        indexes = [models.Index(fields=["region", "kind"], name="roadmap_document_kind")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmap-document-detail", args=[self.pk])


class DocumentVersion(models.Model):
    document = models.ForeignKey(
        Document, models.CASCADE, related_name="versions", verbose_name="документ"
    )
    file = models.FileField("файл", upload_to="roadmap/documents/")
    dated = models.DateField("дата редакции")
    note = models.CharField("примечание", max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("загружена", auto_now_add=True)

    class Meta:
        verbose_name = "редакция документа"
        verbose_name_plural = "редакции документа"
        ordering = ["-dated", "-id"]

    def __str__(self):
        return f"{self.document} — редакция от {self.dated:%d.%m.%Y}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
