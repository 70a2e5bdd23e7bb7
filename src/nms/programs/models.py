"""Further-training programmes (ДПП): the region's catalogue with the federal registry (ФР ДПП),
their runs, the people enrolled and their completions, and management teams trained together.

A completion (`Enrollment` with status «завершил», a certificate number and date) is what the
indicators count (A3: `selectors.a3_counts`) and what closes the matching items of a person's
route (`services.enrollment_complete` → `nms.routes.services.complete_items_from_record`).
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from nms.common.concurrency import version_field


class ProgrammeKind(models.TextChoices):
    PK = "pk", "повышение квалификации"
    PP = "pp", "профессиональная переподготовка"


class ProgrammeFormat(models.TextChoices):
    IN_PERSON = "in_person", "очная"
    DISTANCE = "distance", "дистанционная"
    NETWORK = "network", "сетевая"
    CASCADE = "cascade", "каскадная"
    INTERNSHIP = "internship", "стажировка"
    BLENDED = "blended", "смешанная"


class Audience(models.TextChoices):
    TEACHERS = "teachers", "педагоги"
    MANAGERS = "managers", "руководители"
    TEAMS = "teams", "управленческие команды"


class Topic(models.TextChoices):
    """The topics the indicators count programmes by (stored as a JSON list of codes)."""

    FGOS = "fgos", "обновлённые ФГОС"
    LITERACY = "literacy", "функциональная грамотность"
    DIGITAL = "digital", "цифровая образовательная среда"
    QUALITY = "quality", "оценка качества образования"
    INCLUSION = "inclusion", "инклюзия и ОВЗ"
    UPBRINGING = "upbringing", "воспитание"
    CAREER = "career", "профориентация"
    GIFTED = "gifted", "одарённые дети"
    PRESCHOOL = "preschool", "дошкольное образование"
    TECH_SOVEREIGNTY = "tech", "технологический суверенитет"


TOPIC_LABELS = dict(Topic.choices)


class Origin(models.TextChoices):
    ACADEMY = "academy", "Академия Минпросвещения"
    CASCADE = "cascade", "каскадная модель"
    OWN = "own", "собственная разработка"
    OTHER = "other", "иная организация"


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", "в разработке"
    ACTIVE = "active", "реализуется"
    ARCHIVED = "archived", "в архиве"


class ReviewOutcome(models.TextChoices):
    NONE = "", "—"
    PENDING = "pending", "на экспертизе"
    APPROVED = "approved", "положительное заключение"
    REJECTED = "rejected", "отрицательное заключение"


class Programme(models.Model):
    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    title = models.CharField("наименование", max_length=500)
    kind = models.CharField(
        "вид", max_length=2, choices=ProgrammeKind.choices, default=ProgrammeKind.PK
    )
    hours = models.PositiveIntegerField("объём, ч")
    format = models.CharField(
        "форма реализации",
        max_length=20,
        choices=ProgrammeFormat.choices,
        default=ProgrammeFormat.IN_PERSON,
    )
    provider = models.ForeignKey(
        "registry.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация-разработчик (из реестра)",
    )
    provider_name = models.CharField(
        "организация-разработчик", max_length=500, blank=True, help_text="как в ФР ДПП"
    )
    annotation = models.TextField("аннотация", blank=True)
    in_federal_registry = models.BooleanField("в ФР ДПП", default=False, db_index=True)
    federal_number = models.CharField("номер в ФР ДПП", max_length=50, blank=True)
    federal_since = models.DateField("дата включения в ФР ДПП", null=True, blank=True)
    review_submitted_on = models.DateField("направлена на экспертизу ФР ДПП", null=True, blank=True)
    review_outcome = models.CharField(
        "итог экспертизы", max_length=20, choices=ReviewOutcome.choices, blank=True
    )
    areas = models.ManyToManyField(
        "itembank.CompetencyArea",
        blank=True,
        related_name="programmes",
        verbose_name="области компетенций",
    )
    subcompetencies = models.ManyToManyField(
        "itembank.SubCompetency", blank=True, related_name="+", verbose_name="компетенции"
    )
    subjects = models.ManyToManyField(
        "registry.Subject", blank=True, related_name="+", verbose_name="предметы"
    )
    audience = models.CharField(
        "категория слушателей", max_length=20, choices=Audience.choices, default=Audience.TEACHERS
    )
    topics = models.JSONField("темы", default=list, blank=True)
    origin = models.CharField(
        "происхождение", max_length=20, choices=Origin.choices, default=Origin.OWN
    )
    status = models.CharField(
        "состояние",
        max_length=20,
        choices=ProgrammeStatus.choices,
        default=ProgrammeStatus.ACTIVE,
        db_index=True,
    )
    version = version_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "программа ДПП"
        verbose_name_plural = "программы ДПП"
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["region", "title", "id"], name="programme_region_order"),
            models.Index(fields=["federal_number"], name="programme_federal_number"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("program-detail", args=[self.pk])

    @property
    def topic_labels(self) -> list[str]:
        return [TOPIC_LABELS.get(code, code) for code in self.topics or []]

    @property
    def provider_label(self) -> str:
        return self.provider.short_name if self.provider_id else self.provider_name


class Run(models.Model):
    """One run (поток) of a programme: dates, where or online, the group, the tutor."""

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="runs")
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    place = models.CharField("место проведения", max_length=300, blank=True)
    online = models.BooleanField("дистанционно", default=False)
    group_name = models.CharField("группа", max_length=100, blank=True)
    tutor = models.ForeignKey(
        "registry.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="тьютор (куратор)",
    )
    version = version_field()

    class Meta:
        verbose_name = "поток"
        verbose_name_plural = "потоки"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["programme", "starts_on"])]

    def __str__(self):
        group = f", {self.group_name}" if self.group_name else ""
        return f"{self.programme} ({self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}{group})"

    def get_absolute_url(self):
        return reverse("run-detail", args=[self.pk])


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "обучается"
    COMPLETED = "completed", "завершил обучение"
    DROPPED = "dropped", "отчислен"


class Team(models.Model):
    """An organization's management team enrolled in a run together (its members are the
    enrollments that point at it). Whether «команда приняла участие» is decided by
    `selectors.team_participated` with the rule of settings.NMS_TEAM_PARTICIPATION."""

    run = models.ForeignKey(Run, models.CASCADE, related_name="teams")
    organization = models.ForeignKey(
        "registry.Organization", models.CASCADE, related_name="+", verbose_name="организация"
    )
    version = version_field()

    class Meta:
        verbose_name = "управленческая команда"
        verbose_name_plural = "управленческие команды"
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "organization"], name="team_unique_run_org")
        ]

    def __str__(self):
        return f"Команда {self.organization}"


class Enrollment(models.Model):
    run = models.ForeignKey(Run, models.CASCADE, related_name="enrollments")
    person = models.ForeignKey("registry.Person", models.CASCADE, related_name="enrollments")
    organization = models.ForeignKey(
        "registry.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="место работы при зачислении",
    )
    status = models.CharField(
        "состояние",
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ENROLLED,
    )
    enrolled_on = models.DateField("зачислен")
    completed_on = models.DateField("дата удостоверения", null=True, blank=True)
    certificate_number = models.CharField("номер удостоверения", max_length=100, blank=True)
    dropped_on = models.DateField("отчислен", null=True, blank=True)
    drop_reason = models.CharField("причина отчисления", max_length=300, blank=True)
    chosen_from_diagnostics = models.BooleanField(
        "подобрана по результатам диагностики",
        default=False,
        help_text="Программа адресует область дефицита по последней диагностике работника "
        "или предложена в его ИОМ.",
    )
    team = models.ForeignKey(
        Team, models.SET_NULL, null=True, blank=True, related_name="members", verbose_name="команда"
    )
    version = version_field()

    class Meta:
        verbose_name = "зачисление"
        verbose_name_plural = "зачисления"
        ordering = ["-run__starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="enrollment_unique_person"),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="enrollment_unique_certificate",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "status"]),
            models.Index(fields=["status", "completed_on"]),
        ]

    def __str__(self):
        return f"{self.person} — {self.run.programme}"

    def get_absolute_url(self):
        return reverse("enrollment-detail", args=[self.pk])

    @property
    def is_completed(self) -> bool:
        return self.status == EnrollmentStatus.COMPLETED
