"""People who support others (issue 12): the regional and municipal methodical actives (РМА),
the teachers in each regional methodist's care (caseloads), requests for methodical help and the
support acts given, expert roles, and the region's settings for them.

Seed 001 (the regulation of the regional system): the РМА is formed of teachers of the highest
category with higher pedagogical education and at least 5 years of experience who have passed the
diagnostics and further training; heads of methodical associations, exam experts, tutors,
mentors, community leaders and teachers whose pupils win contests may join on those grounds.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from nms.common.concurrency import version_field


class ActiveRole(models.TextChoices):
    CURATOR = "curator", "куратор"
    HEAD = "head", "руководитель"
    TUTOR = "tutor", "тьютор ЦНППМ"
    COORDINATOR = "coordinator", "муниципальный координатор"
    METHODIST = "methodist", "региональный методист"


class ActiveLevel(models.TextChoices):
    REGIONAL = "regional", "региональный методический актив"
    MUNICIPAL = "municipal", "муниципальный методический актив"


class Basis(models.TextChoices):
    STAFF = "staff", "штатный сотрудник"
    PART_TIME = "part_time", "совместитель"
    CONTRACT = "contract", "договор ГПХ"


class MembershipStatus(models.TextChoices):
    CANDIDATE = "candidate", "кандидат"
    APPROVED = "approved", "утверждён"
    ENDED = "ended", "выбыл"


class ActiveMembership(models.Model):
    """A person's place in the regional (РМА) or a municipal methodical active for a period.

    Approved, it gives the person the matching role assignment for its period (`services.
    membership_approve`); ended, the assignment ends the same day."""

    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "registry.Person",
        models.CASCADE,
        related_name="active_memberships",
        verbose_name="работник",
    )
    role = models.CharField("роль", max_length=20, choices=ActiveRole.choices)
    level = models.CharField("актив", max_length=20, choices=ActiveLevel.choices)
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="муниципалитет",
        help_text="Для муниципального актива — обязательно; для РМА — где методист работает.",
    )
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание", null=True, blank=True)
    subjects = models.ManyToManyField(
        "registry.Subject", blank=True, related_name="+", verbose_name="предметы"
    )
    specialisations = models.CharField("специализации", max_length=500, blank=True)
    basis = models.CharField(
        "основание работы", max_length=20, choices=Basis.choices, default=Basis.STAFF
    )
    order_number = models.CharField("номер приказа", max_length=50, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    status = models.CharField(
        "состояние",
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.CANDIDATE,
        db_index=True,
    )
    role_assignment = models.ForeignKey(
        "accounts.RoleAssignment",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="назначение роли",
    )
    version = version_field()

    class Meta:
        verbose_name = "участие в методическом активе"
        verbose_name_plural = "участие в методических активах"
        ordering = ["person__last_name", "person__first_name", "id"]
        indexes = [
            models.Index(fields=["region", "level", "status"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()} ({self.get_level_display()})"

    def get_absolute_url(self):
        return reverse("support-membership", args=[self.pk])

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Окончание раньше начала."})
        if self.level == ActiveLevel.MUNICIPAL and not self.municipality_id:
            raise ValidationError(
                {"municipality": "Для муниципального актива укажите муниципалитет."}
            )
        if self.role == ActiveRole.COORDINATOR and not self.municipality_id:
            raise ValidationError(
                {"municipality": "Для муниципального координатора укажите муниципалитет."}
            )


class AlternativeGroundKind(models.TextChoices):
    """Grounds of seed 001 kept here (the others are read from their own records)."""

    MO_HEAD = "mo_head", "руководитель методического объединения, совета"
    COMMUNITY_LEADER = "community_leader", "лидер профессионального педагогического сообщества"


class AlternativeGround(models.Model):
    """A distinction that lets a person into the РМА without the category, education and
    experience requirements (seed 001)."""

    person = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="support_grounds", verbose_name="работник"
    )
    kind = models.CharField("основание", max_length=30, choices=AlternativeGroundKind.choices)
    title = models.CharField("объединение, сообщество", max_length=300, blank=True)
    starts_on = models.DateField("с")
    ends_on = models.DateField("по", null=True, blank=True)
    version = version_field()

    class Meta:
        verbose_name = "основание для включения в РМА"
        verbose_name_plural = "основания для включения в РМА"
        ordering = ["person", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}" if self.title else self.get_kind_display()


class CaseloadBasis(models.TextChoices):
    SUBJECT_MUNICIPALITY = "subject_municipality", "предмет и муниципалитет"
    SUBJECT = "subject", "предмет"
    MUNICIPALITY = "municipality", "муниципалитет"
    OTHER = "other", "по остатку мест"
    MANUAL = "manual", "вручную"


class Caseload(models.Model):
    """A teacher in a regional methodist's care (one methodist per teacher).

    Mirrored into the methodist's account (`User.assigned_people`), which is what the access
    registry reads: the methodist sees the people in their care."""

    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    methodist = models.ForeignKey(
        "registry.Person",
        models.CASCADE,
        related_name="caseload",
        verbose_name="региональный методист",
    )
    teacher = models.OneToOneField(
        "registry.Person",
        models.CASCADE,
        related_name="support_caseload",
        verbose_name="педагог",
    )
    assigned_on = models.DateField("закреплён")
    automatic = models.BooleanField("автоматически", default=False)
    basis = models.CharField(
        "по совпадению", max_length=30, choices=CaseloadBasis.choices, default=CaseloadBasis.MANUAL
    )
    version = version_field()

    class Meta:
        verbose_name = "закрепление педагога за методистом"
        verbose_name_plural = "закрепления педагогов за методистами"
        ordering = ["teacher__last_name", "teacher__first_name", "id"]
        indexes = [models.Index(fields=["region", "methodist"])]

    def __str__(self):
        return f"{self.teacher} → {self.methodist}"


class RequesterKind(models.TextChoices):
    TEACHER = "teacher", "педагог"
    SCHOOL = "school", "образовательная организация"
    TEAM = "team", "управленческая команда"


class Urgency(models.TextChoices):
    NORMAL = "normal", "обычная"
    URGENT = "urgent", "срочная"


class RequestStatus(models.TextChoices):
    OPEN = "open", "ждёт ответа"
    ANSWERED = "answered", "дан ответ"


class HelpRequest(models.Model):
    """A request for methodical help (the hotline), routed to a methodist of the subject and the
    territory, answered within its deadline."""

    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    requester_kind = models.CharField(
        "от кого", max_length=20, choices=RequesterKind.choices, default=RequesterKind.TEACHER
    )
    person = models.ForeignKey(
        "registry.Person",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name="педагог",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name="организация",
    )
    municipality = models.ForeignKey(
        "registry.Municipality", models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        "registry.Subject",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="предмет",
    )
    topic = models.CharField("тема", max_length=300)
    question = models.TextField("вопрос")
    urgency = models.CharField(
        "срочность", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    attachment = models.FileField("вложение", upload_to="support/requests/", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="автор",
    )
    methodist = models.ForeignKey(
        "registry.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="addressed_requests",
        verbose_name="методист",
    )
    created_at = models.DateTimeField("поступил", default=timezone.now)
    deadline = models.DateTimeField("срок ответа")
    status = models.CharField(
        "состояние",
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.OPEN,
        db_index=True,
    )
    answer = models.TextField("ответ", blank=True)
    answered_at = models.DateTimeField("ответ дан", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ответил",
    )
    version = version_field()

    class Meta:
        verbose_name = "запрос на методическую помощь"
        verbose_name_plural = "запросы на методическую помощь"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status", "deadline"]),
            models.Index(fields=["methodist", "status"]),
        ]

    def __str__(self):
        return f"Запрос № {self.pk}: {self.topic}"

    def get_absolute_url(self):
        return reverse("support-request", args=[self.pk])

    @property
    def answer_time(self) -> timedelta | None:
        if self.answered_at is None:
            return None
        return self.answered_at - self.created_at

    def is_overdue(self, now=None) -> bool:
        """Not answered by the deadline (answered late, or still waiting past it)."""
        if self.answered_at is not None:
            return self.answered_at > self.deadline
        return (now or timezone.now()) > self.deadline


class ActKind(models.TextChoices):
    TARGETED = "targeted", "адресная методическая поддержка"
    CONSULTATION = "consultation", "консультация"
    THEMATIC = "thematic", "тематическая консультация"
    POST_COURSE = "post_course", "посткурсовое сопровождение"
    LESSON_VISIT = "lesson_visit", "посещение урока"
    SPEECH = "speech", "выступление на ШМО/ГМК"
    AUDIT = "audit", "методический аудит"
    LOW_RESULTS_VISIT = "low_results_visit", "выездная помощь школе с низкими результатами"


class ActFormat(models.TextChoices):
    IN_PERSON = "in_person", "очно"
    ONLINE = "online", "дистанционно"
    ON_SITE = "on_site", "выезд в организацию"


class SupportAct(models.Model):
    """Methodical support given: to a person, an organization or its management team."""

    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    kind = models.CharField("вид", max_length=30, choices=ActKind.choices)
    held_on = models.DateField("дата")
    format = models.CharField(
        "формат", max_length=20, choices=ActFormat.choices, default=ActFormat.IN_PERSON
    )
    methodist = models.ForeignKey(
        "registry.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_given",
        verbose_name="кто оказал",
    )
    person = models.ForeignKey(
        "registry.Person",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="support_acts",
        verbose_name="кому (работник)",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="support_acts",
        verbose_name="кому (организация)",
    )
    for_team = models.BooleanField("управленческой команде организации", default=False)
    topic = models.CharField("тема", max_length=300)
    notes = models.TextField("содержание, итог", blank=True)
    route = models.ForeignKey(
        "routes.Route",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_acts",
        verbose_name="маршрут",
    )
    request = models.ForeignKey(
        HelpRequest,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="acts",
        verbose_name="запрос",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = version_field()

    class Meta:
        verbose_name = "акт методической поддержки"
        verbose_name_plural = "акты методической поддержки"
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["region", "held_on"]),
            models.Index(fields=["person", "held_on"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%d.%m.%Y}: {self.topic}"

    def get_absolute_url(self):
        return reverse("support-act", args=[self.pk])

    @property
    def source(self) -> str:
        """What a route item names this act by (nms.routes.services.complete_items_from_record)."""
        return f"support:{self.pk}"

    @property
    def recipient(self) -> str:
        if self.person_id:
            return str(self.person)
        if self.organization_id:
            prefix = "управленческая команда: " if self.for_team else ""
            return f"{prefix}{self.organization}"
        return ""


class ExpertKind(models.TextChoices):
    JURY = "jury", "жюри конкурса"
    EXAM = "exam", "предметная комиссия ОГЭ/ЕГЭ"
    RUMO = "rumo", "РУМО"
    PRACTICE_REVIEW = "practice_review", "экспертиза практик"
    ITEM_REVIEW = "item_review", "экспертиза заданий диагностики"


class ExpertLevel(models.TextChoices):
    SCHOOL = "school", "уровень ОО"
    MUNICIPAL = "municipal", "муниципальный"
    REGIONAL = "regional", "региональный"
    FEDERAL = "federal", "федеральный"


class ExpertRank(models.TextChoices):
    MEMBER = "", "—"
    BASIC = "basic", "основной эксперт"
    SENIOR = "senior", "старший эксперт"
    LEADING = "leading", "ведущий эксперт"


class ExpertRole(models.Model):
    """A person's place in the regional expert register: what they review, at what level, when."""

    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="expert_roles", verbose_name="работник"
    )
    kind = models.CharField("вид экспертизы", max_length=30, choices=ExpertKind.choices)
    level = models.CharField("уровень", max_length=20, choices=ExpertLevel.choices)
    subject = models.ForeignKey(
        "registry.Subject",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="предмет",
    )
    rank = models.CharField(
        "статус в комиссии", max_length=20, choices=ExpertRank.choices, blank=True, default=""
    )
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание", null=True, blank=True)
    version = version_field()

    class Meta:
        verbose_name = "роль эксперта"
        verbose_name_plural = "роли экспертов"
        ordering = ["person__last_name", "person__first_name", "id"]
        indexes = [models.Index(fields=["region", "kind"])]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()} ({self.get_level_display()})"

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Окончание раньше начала."})


class SupportSettings(models.Model):
    """The region's own limits (absent: the defaults of the settings)."""

    region = models.OneToOneField(
        "registry.Region", models.CASCADE, related_name="support_settings"
    )
    caseload_cap = models.PositiveIntegerField(
        "педагогов на одного методиста, не больше", null=True, blank=True
    )
    methodical_threshold = models.DecimalField(
        "порог методической компетенции, %", max_digits=5, decimal_places=2, null=True, blank=True
    )
    version = version_field()

    class Meta:
        verbose_name = "настройки сопровождения региона"
        verbose_name_plural = "настройки сопровождения регионов"

    def __str__(self):
        return f"Настройки сопровождения: {self.region}"
