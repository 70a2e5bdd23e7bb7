"""The target model of mentoring (ЦМН): programmes of organizations and their curators, municipal
mentoring schools (C23), mentor profiles (the public mentor registry), requests of teachers to
mentors, and the pairs (or groups) with their goals, meetings, documents and outcome.

States: a request is pending → accepted / rejected / cancelled; accepting it makes the pair,
active → completed (early completion allowed with a reason). A mentor takes at most `capacity`
active pairs at once (a group counts as one).
"""

from django.db import models
from django.urls import reverse

from nms.common.concurrency import version_field

# A score in an area at or above this share (%) in the latest diagnostics backs a mentor's
# strength in that area (marked in the registry and used by matching).
HIGH_SCORE = 80


class MentoringForm(models.TextChoices):
    TEACHER_TEACHER = "teacher_teacher", "педагог – педагог"
    MANAGER_MANAGER = "manager_manager", "руководитель – руководитель"
    TEAM_TEAM = "team_team", "команда – команда"


class CuratorLevel(models.TextChoices):
    SCHOOL = "school", "куратор ОО"
    MUNICIPAL = "municipal", "муниципальный куратор"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "ожидает ответа"
    ACCEPTED = "accepted", "принят"
    REJECTED = "rejected", "отклонён"
    CANCELLED = "cancelled", "отозван"


class PairStatus(models.TextChoices):
    ACTIVE = "active", "действует"
    COMPLETED = "completed", "завершена"


class DocumentKind(models.TextChoices):
    PLAN = "plan", "план работы пары"
    FEEDBACK = "feedback", "отзыв наставляемого"
    REPORT = "report", "отчёт наставника"


class MentoringProgram(models.Model):
    """An organization's mentoring programme (ЦМН in the organization): curator and period."""

    organization = models.ForeignKey(
        "registry.Organization",
        models.CASCADE,
        related_name="mentoring_programs",
        verbose_name="организация",
    )
    title = models.CharField("наименование", max_length=300)
    curator = models.ForeignKey(
        "registry.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="curated_programs",
        verbose_name="куратор наставничества в ОО",
    )
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание", null=True, blank=True)
    order = models.CharField("приказ об утверждении", max_length=200, blank=True)
    version = version_field()

    class Meta:
        verbose_name = "программа наставничества"
        verbose_name_plural = "программы наставничества"
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["organization", "starts_on"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("mentoring-program-detail", args=[self.pk])


class Curator(models.Model):
    """A curator of mentoring: in an organization or in a municipality."""

    person = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="+", verbose_name="работник"
    )
    level = models.CharField("уровень", max_length=20, choices=CuratorLevel.choices)
    municipality = models.ForeignKey(
        "registry.Municipality", models.CASCADE, related_name="+", verbose_name="муниципалитет"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация",
    )
    starts_on = models.DateField("назначен с")
    ends_on = models.DateField("по", null=True, blank=True)
    version = version_field()

    class Meta:
        verbose_name = "куратор наставничества"
        verbose_name_plural = "кураторы наставничества"
        ordering = ["level", "id"]

    def __str__(self):
        return f"{self.get_level_display()}: {self.person}"

    def get_absolute_url(self):
        return reverse("mentoring-curator-edit", args=[self.pk])


class MentoringSchool(models.Model):
    """A municipal mentoring school (C23: at least half of the municipalities have one)."""

    municipality = models.ForeignKey(
        "registry.Municipality",
        models.CASCADE,
        related_name="mentoring_schools",
        verbose_name="муниципалитет",
    )
    name = models.CharField("наименование", max_length=300)
    base = models.ForeignKey(
        "registry.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="базовая организация",
    )
    founded_on = models.DateField("создана")
    closed_on = models.DateField("прекратила работу", null=True, blank=True)
    version = version_field()

    class Meta:
        verbose_name = "муниципальная школа наставничества"
        verbose_name_plural = "муниципальные школы наставничества"
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("mentoring-school-edit", args=[self.pk])


class MentorProfile(models.Model):
    """A mentor: strengths, experience, capacity and forms offered. `public` profiles are in the
    public registry (name, organization, subjects and areas only)."""

    person = models.OneToOneField(
        "registry.Person", models.CASCADE, related_name="mentor_profile", verbose_name="наставник"
    )
    subjects = models.ManyToManyField(
        "registry.Subject", blank=True, related_name="+", verbose_name="предметы"
    )
    areas = models.ManyToManyField(
        "itembank.CompetencyArea",
        blank=True,
        related_name="+",
        verbose_name="сильные стороны (области компетенций)",
    )
    mentoring_years = models.PositiveSmallIntegerField("опыт наставничества, лет", default=0)
    experience = models.TextField("опыт и достижения", blank=True)
    capacity = models.PositiveSmallIntegerField(
        "сколько наставляемых одновременно", default=2, help_text="пар и групп сразу"
    )
    offers_teacher = models.BooleanField("форма «педагог – педагог»", default=True)
    offers_manager = models.BooleanField("форма «руководитель – руководитель»", default=False)
    offers_team = models.BooleanField("форма «команда – команда»", default=False)
    across_organizations = models.BooleanField("наставляет педагогов других ОО", default=True)
    across_municipalities = models.BooleanField(
        "наставляет педагогов других муниципалитетов", default=False
    )
    public = models.BooleanField(
        "в открытом реестре наставников",
        default=False,
        help_text="Профиль, созданный педагогом, публикует администрация ОО или муниципалитета.",
    )
    active = models.BooleanField("принимает наставляемых", default=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    version = version_field()

    class Meta:
        verbose_name = "профиль наставника"
        verbose_name_plural = "профили наставников"
        ordering = ["person__last_name", "person__first_name", "id"]
        indexes = [models.Index(fields=["public", "active"])]

    def __str__(self):
        return str(self.person)

    def get_absolute_url(self):
        return reverse("mentor-detail", args=[self.pk])

    @property
    def forms(self) -> list[str]:
        offered = (
            (self.offers_teacher, MentoringForm.TEACHER_TEACHER),
            (self.offers_manager, MentoringForm.MANAGER_MANAGER),
            (self.offers_team, MentoringForm.TEAM_TEAM),
        )
        return [form for on, form in offered if on]

    def forms_display(self) -> str:
        return ", ".join(MentoringForm(f).label for f in self.forms)


class MentorshipRequest(models.Model):
    """A teacher's request to a mentor."""

    mentee = models.ForeignKey(
        "registry.Person",
        models.CASCADE,
        related_name="mentorship_requests",
        verbose_name="наставляемый",
    )
    mentor = models.ForeignKey(
        "registry.Person",
        models.CASCADE,
        related_name="requests_to_mentor",
        verbose_name="наставник",
    )
    form = models.CharField("форма", max_length=20, choices=MentoringForm.choices)
    goals = models.TextField("цели и ожидания", blank=True)
    status = models.CharField(
        "состояние",
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField("отправлен", auto_now_add=True)
    decided_at = models.DateTimeField("решение", null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField("ответ наставника", blank=True)
    version = version_field()

    class Meta:
        verbose_name = "запрос наставнику"
        verbose_name_plural = "запросы наставникам"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.mentee} → {self.mentor}"

    def get_absolute_url(self):
        return reverse("mentoring-request-detail", args=[self.pk])


class Pair(models.Model):
    """A mentoring pair (or a group: `members` are the group's other mentees)."""

    mentor = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="pairs_as_mentor", verbose_name="наставник"
    )
    mentee = models.ForeignKey(
        "registry.Person",
        models.CASCADE,
        related_name="pairs_as_mentee",
        verbose_name="наставляемый",
    )
    members = models.ManyToManyField(
        "registry.Person", blank=True, related_name="+", verbose_name="другие участники группы"
    )
    form = models.CharField("форма", max_length=20, choices=MentoringForm.choices)
    program = models.ForeignKey(
        MentoringProgram,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="pairs",
        verbose_name="программа наставничества",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация наставляемого",
    )
    across_organizations = models.BooleanField("наставник из другой ОО", default=False)
    across_municipalities = models.BooleanField(
        "наставник из другого муниципалитета", default=False
    )
    request = models.OneToOneField(
        MentorshipRequest, models.SET_NULL, null=True, blank=True, related_name="pair"
    )
    status = models.CharField(
        "состояние",
        max_length=20,
        choices=PairStatus.choices,
        default=PairStatus.ACTIVE,
        db_index=True,
    )
    starts_on = models.DateField("начало")
    ends_on = models.DateField("плановое окончание", null=True, blank=True)
    completed_on = models.DateField("завершена", null=True, blank=True)
    completed_early = models.BooleanField("завершена досрочно", default=False)
    completion_reason = models.TextField("причина досрочного завершения", blank=True)
    goals = models.TextField("цели", blank=True)
    outcome = models.TextField("результат", blank=True)
    version = version_field()

    class Meta:
        verbose_name = "наставническая пара"
        verbose_name_plural = "наставнические пары"
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["mentee", "status"]),
            models.Index(fields=["form", "status"]),
        ]

    def __str__(self):
        return f"{self.mentor} — {self.mentee}"

    def get_absolute_url(self):
        return reverse("mentoring-pair-detail", args=[self.pk])


class Meeting(models.Model):
    """A line of the pair's meetings log."""

    pair = models.ForeignKey(Pair, models.CASCADE, related_name="meetings")
    held_on = models.DateField("дата")
    topic = models.CharField("тема", max_length=300)
    notes = models.TextField("итоги", blank=True)
    author = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+")
    version = version_field()

    class Meta:
        verbose_name = "встреча пары"
        verbose_name_plural = "встречи пары"
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.held_on:%d.%m.%Y} {self.topic}"


class PairDocument(models.Model):
    """A document of the pair: the plan, the mentee's feedback, the mentor's report."""

    pair = models.ForeignKey(Pair, models.CASCADE, related_name="documents")
    kind = models.CharField("вид", max_length=20, choices=DocumentKind.choices)
    file = models.FileField("файл", upload_to="mentoring/")
    uploaded_by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)
    version = version_field()

    class Meta:
        verbose_name = "документ пары"
        verbose_name_plural = "документы пары"
        ordering = ["kind", "-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]
