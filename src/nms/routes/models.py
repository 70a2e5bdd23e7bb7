"""ИОМ — individual educational route (seed 002: four sections, four levels, table 1 actors).

Section 1 (general information) and section 2 (deficits) are snapshots taken when the route is
created, so the route keeps saying what it was built on. Section 3 is the development map
(RouteItem). Section 4 is the evaluation and self-evaluation on the route itself.
"""

import calendar
from datetime import date

from django.conf import settings
from django.db import models


class RouteType(models.TextChoices):
    DEFICITS = "deficits", "восполнение профессиональных дефицитов"
    DEVELOPMENT = "development", "профессиональное развитие"
    POST_COURSE = "post_course", "посткурсовое сопровождение"


class Status(models.TextChoices):
    DRAFT = "draft", "черновик"
    COMPOSED = "composed", "составлен"
    AGREED_SCHOOL = "agreed_school", "согласован администрацией ОО"
    AGREED_METHODIST = "agreed_methodist", "согласован региональным методистом"
    IN_PROGRESS = "in_progress", "реализуется"
    AUDIT = "audit", "методический аудит"
    COMPLETED = "completed", "завершён"
    CLOSED = "closed", "закрыт досрочно"


FINAL_STATUSES = (Status.COMPLETED, Status.CLOSED)

# The register's order: what needs work first — routes being agreed, then under way, then drafts
# (the workflow's order) — and the completed and closed ones last (`Route.work_rank`).
STATUS_RANK = {
    Status.COMPOSED: 0,
    Status.AGREED_SCHOOL: 1,
    Status.AGREED_METHODIST: 2,
    Status.AUDIT: 3,
    Status.IN_PROGRESS: 4,
    Status.DRAFT: 5,
    Status.COMPLETED: 6,
    Status.CLOSED: 7,
}


class Level(models.TextChoices):
    PERSONAL = "personal", "личностный"
    ORGANIZATION = "organization", "уровень ОО"
    MUNICIPAL = "municipal", "муниципальный"
    REGIONAL = "regional", "региональный"


class ActivityKind(models.TextChoices):
    PROGRAM = "program", "программа повышения квалификации"
    EVENT = "event", "мероприятие"
    INTERNSHIP = "internship", "стажировка"
    MENTORING = "mentoring", "наставничество"
    CONSULTATION = "consultation", "консультация"
    SELF_STUDY = "self_study", "самообразование"


class ItemStatus(models.TextChoices):
    PLANNED = "planned", "запланировано"
    REPORTED = "reported", "отчёт на проверке"
    RETURNED = "returned", "возвращено на доработку"
    DONE = "done", "выполнено"


class Route(models.Model):
    person = models.ForeignKey("registry.Person", models.CASCADE, related_name="routes")
    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    route_type = models.CharField("тип", max_length=20, choices=RouteType.choices)
    status = models.CharField(
        "состояние", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    methodist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="methodist_routes",
        verbose_name="региональный методист",
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="tutor_routes",
        verbose_name="методист института / тьютор",
    )
    entry_result = models.ForeignKey(
        "diagnostics.Result",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="входная диагностика",
    )
    exit_result = models.ForeignKey(
        "diagnostics.Result",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="выходная диагностика",
    )
    general_info = models.JSONField("раздел 1: общие сведения", default=dict)
    deficits = models.JSONField("раздел 2: выявленные дефициты", default=list)
    evaluation = models.TextField("оценка методиста", blank=True)
    self_evaluation = models.TextField("самооценка педагога", blank=True)
    school_proposals = models.TextField("предложения администрации ОО", blank=True)
    closed_reason = models.TextField("причина досрочного закрытия", blank=True)
    template = models.ForeignKey(
        "RouteTemplate", models.SET_NULL, null=True, blank=True, related_name="routes"
    )
    version = models.PositiveIntegerField("версия", default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Stored by the database from the status, so that the register's order (work first, the
    # nearest end first) is read from an index instead of sorting a region's routes per page.
    work_rank = models.GeneratedField(
        expression=models.Case(
            *(
                models.When(status=status, then=models.Value(rank))
                for status, rank in STATUS_RANK.items()
            ),
            default=models.Value(len(STATUS_RANK)),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = "ИОМ"
        verbose_name_plural = "ИОМ"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "status"]),
            models.Index(fields=["methodist", "status"]),
            models.Index(fields=["ends_on"]),
            models.Index(fields=["work_rank", "ends_on", "-id"], name="route_work_first"),
        ]

    def __str__(self):
        return f"ИОМ {self.person} ({self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y})"

    @property
    def audit_due_on(self) -> date:
        """The methodical audit is due one month before the end date (seed 002, table 1)."""
        return month_before(self.ends_on)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


def month_before(day: date) -> date:
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class RouteItem(models.Model):
    """A line of the development map (section 3)."""

    route = models.ForeignKey(Route, models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("№", default=1)
    level = models.CharField("уровень", max_length=20, choices=Level.choices)
    activity_kind = models.CharField("вид", max_length=20, choices=ActivityKind.choices)
    title = models.CharField("мероприятие", max_length=500)
    source = models.CharField(
        "запись каталога",
        max_length=100,
        blank=True,
        help_text=(
            "Ссылка на запись каталога: program:12, run:7, event:3, site:2, support:5; "
            "пусто — свободный текст."
        ),
    )
    area = models.ForeignKey(
        "itembank.CompetencyArea",
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name="формируемая компетенция (область)",
    )
    competency = models.CharField("формируемая компетенция", max_length=300, blank=True)
    starts_on = models.DateField("начало")
    due_on = models.DateField("срок")
    result_form = models.CharField("форма представления результата", max_length=300)
    status = models.CharField(
        "статус", max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED
    )
    evidence_file = models.FileField("подтверждение (файл)", upload_to="routes/", blank=True)
    evidence_link = models.URLField("подтверждение (ссылка)", blank=True)

    class Meta:
        verbose_name = "пункт карты развития"
        verbose_name_plural = "карта профессионального развития"
        ordering = ["route", "position", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # Items not done by their due date: the register's flag (`selectors._has_overdue`)
            # and the dashboard's overdue items in their order (`selectors.due_for`).
            models.Index(
                fields=["due_on", "id"],
                include=["route"],
                condition=~models.Q(status="done"),
                name="routeitem_open_due",
            ),
        ]

    def __str__(self):
        return self.title


class ReportDecision(models.TextChoices):
    PENDING = "pending", "на проверке"
    ACCEPTED = "accepted", "принят"
    RETURNED = "returned", "возвращён"


class ItemReport(models.Model):
    item = models.ForeignKey(RouteItem, models.CASCADE, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    text = models.TextField("отчёт", blank=True)
    file = models.FileField("файл", upload_to="routes/reports/", blank=True)
    link = models.URLField("ссылка", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(
        max_length=20, choices=ReportDecision.choices, default=ReportDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField("комментарий", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class RouteEvent(models.Model):
    """A workflow step: who moved the route from which state to which, with their comment."""

    route = models.ForeignKey(Route, models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class RouteVersion(models.Model):
    """A snapshot of the whole route (fields and map) after each change."""

    route = models.ForeignKey(Route, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["route", "number"]
        constraints = [
            models.UniqueConstraint(fields=["route", "number"], name="route_version_unique")
        ]


class RouteTemplate(models.Model):
    """A development map built once for a group with similar deficits."""

    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    name = models.CharField("наименование", max_length=300)
    description = models.TextField("описание", blank=True)
    areas = models.ManyToManyField(
        "itembank.CompetencyArea", blank=True, verbose_name="дефициты, на которые рассчитан"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "шаблон ИОМ"
        verbose_name_plural = "шаблоны ИОМ"
        ordering = ["name"]

    def __str__(self):
        return self.name


class TemplateItem(models.Model):
    """A map line of a template; dates are offsets in days from the route's start."""

    template = models.ForeignKey(RouteTemplate, models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=1)
    level = models.CharField(max_length=20, choices=Level.choices)
    activity_kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    title = models.CharField(max_length=500)
    source = models.CharField(max_length=100, blank=True)
    area = models.ForeignKey("itembank.CompetencyArea", models.PROTECT, null=True, blank=True)
    competency = models.CharField(max_length=300, blank=True)
    start_offset_days = models.PositiveIntegerField(default=0)
    duration_days = models.PositiveIntegerField(default=30)
    result_form = models.CharField(max_length=300)

    class Meta:
        ordering = ["template", "position", "id"]


class ReminderKind(models.TextChoices):
    ITEM_OVERDUE = "item_overdue", "просрочен пункт маршрута"
    AUDIT_DUE = "audit_due", "наступил срок методического аудита"


class Reminder(models.Model):
    """What `nms route-reminders` found due on a day (one row per thing, kept for the record)."""

    route = models.ForeignKey(Route, models.CASCADE, related_name="reminders")
    item = models.ForeignKey(RouteItem, models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField()
    recorded_on = models.DateField()
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "item", "kind", "due_on"], name="reminder_unique"
            )
        ]
