"""Events (seminars, conferences, contests…), participation in them, internship sites and the
internships held there. An internship counts as participation (CHECKLIST C16–C18)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from nms.common.concurrency import version_field
from nms.common.text import search_key


class Topic(models.TextChoices):
    """The topics the indicators count (the same codes as the programmes' `Topic`)."""

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


def topic_labels(codes) -> str:
    return ", ".join(TOPIC_LABELS.get(code, code) for code in codes or [])


class EventKind(models.TextChoices):
    SEMINAR = "seminar", "семинар"
    WEBINAR = "webinar", "вебинар"
    MASTER_CLASS = "master_class", "мастер-класс"
    WORKSHOP = "workshop", "педагогическая мастерская"
    CONFERENCE = "conference", "конференция"
    FORUM = "forum", "форум"
    ROUND_TABLE = "round_table", "круглый стол"
    MEETING = "meeting", "совещание"
    CONTEST = "contest", "конкурс профессионального мастерства"
    FESTIVAL = "festival", "фестиваль"
    CLUB = "club", "клуб"


class EventLevel(models.TextChoices):
    SCHOOL = "school", "уровень ОО"
    MUNICIPAL = "municipal", "муниципальный"
    REGIONAL = "regional", "региональный"
    FEDERAL = "federal", "федеральный"


class ParticipationRole(models.TextChoices):
    PARTICIPANT = "participant", "участник"
    SPEAKER = "speaker", "ведущий"
    JURY = "jury", "член жюри или эксперт"
    PRIZE = "prize", "призёр"
    WINNER = "winner", "победитель"


class Stage(models.TextChoices):
    """The stages of a contest (blank for other events)."""

    SCHOOL = "school", "школьный"
    MUNICIPAL = "municipal", "муниципальный"
    REGIONAL = "regional", "региональный"
    FEDERAL = "federal", "федеральный"


RESULT_ROLES = (ParticipationRole.PRIZE, ParticipationRole.WINNER)


class Event(models.Model):
    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    title = models.CharField("наименование", max_length=500)
    kind = models.CharField("вид", max_length=20, choices=EventKind.choices)
    level = models.CharField("уровень", max_length=20, choices=EventLevel.choices)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="муниципалитет",
        help_text="для мероприятий уровня ОО и муниципальных; по умолчанию — организатора",
    )
    organizer = models.ForeignKey(
        "registry.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="organized_events",
        verbose_name="организатор",
    )
    organizer_name = models.CharField(
        "организатор (если не организация региона)", max_length=300, blank=True
    )
    place = models.CharField("место проведения", max_length=300, blank=True)
    online = models.BooleanField("дистанционно", default=False)
    description = models.TextField("описание", blank=True)
    topics = models.JSONField("темы", default=list, blank=True)
    areas = models.ManyToManyField(
        "itembank.CompetencyArea",
        blank=True,
        related_name="events",
        verbose_name="компетенции (направления)",
    )
    nominations = models.TextField("номинации конкурса", blank=True, help_text="по одной в строке")
    horizontal_learning = models.BooleanField("горизонтальное обучение", default=False)
    burnout_prevention = models.BooleanField(
        "профилактика профессионального выгорания", default=False
    )
    for_low_results = models.BooleanField("для ОО с низкими результатами", default=False)
    search_text = models.CharField(max_length=900, editable=False, db_index=True)
    version = version_field()

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["region", "-starts_on", "-id"], name="event_region_order"),
            models.Index(fields=["organizer", "starts_on"]),
            models.Index(fields=["municipality", "starts_on"]),
            models.Index(fields=["kind", "starts_on"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.title, self.organizer_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("event-detail", args=[self.pk])

    @property
    def is_contest(self) -> bool:
        return self.kind == EventKind.CONTEST

    @property
    def organizer_display(self) -> str:
        return str(self.organizer) if self.organizer_id else self.organizer_name

    @property
    def topic_labels(self) -> str:
        return topic_labels(self.topics)

    @property
    def nomination_list(self) -> list[str]:
        return [n.strip() for n in self.nominations.splitlines() if n.strip()]


class Participation(models.Model):
    event = models.ForeignKey(Event, models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="participations", verbose_name="работник"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name="организация",
        help_text="где работник работал, когда участвовал (основное место работы)",
    )
    role = models.CharField(
        "роль", max_length=20, choices=ParticipationRole.choices, default="participant"
    )
    stage = models.CharField("этап конкурса", max_length=20, choices=Stage.choices, blank=True)
    nomination = models.CharField("номинация", max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = version_field()

    class Meta:
        verbose_name = "участие в мероприятии"
        verbose_name_plural = "участие в мероприятиях"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person", "stage", "nomination"],
                name="participation_unique",
            )
        ]
        indexes = [
            models.Index(fields=["person", "event"]),
            models.Index(fields=["organization", "event"]),
            models.Index(fields=["event", "role"]),
        ]

    def __str__(self):
        return f"{self.person} — {self.event} ({self.get_role_display()})"

    def get_absolute_url(self):
        return reverse("event-detail", args=[self.event_id])


class InternshipSite(models.Model):
    """An organization with the status of an internship site for a period, after a competitive
    selection (the order's number and date)."""

    organization = models.ForeignKey(
        "registry.Organization",
        models.PROTECT,
        related_name="internship_sites",
        verbose_name="организация",
    )
    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    starts_on = models.DateField("статус с")
    ends_on = models.DateField("статус по")
    order_number = models.CharField("номер приказа", max_length=50)
    order_date = models.DateField("дата приказа")
    programmes = models.TextField("программы стажировок", blank=True, help_text="по одной в строке")
    programmes_updated_on = models.DateField("программы актуализированы", null=True, blank=True)
    topics = models.JSONField("темы", default=list, blank=True)
    areas = models.ManyToManyField(
        "itembank.CompetencyArea",
        blank=True,
        related_name="internship_sites",
        verbose_name="компетенции (направления)",
    )
    version = version_field()

    class Meta:
        verbose_name = "стажировочная площадка"
        verbose_name_plural = "стажировочные площадки"
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["region", "starts_on"])]

    def __str__(self):
        return f"Стажировочная площадка: {self.organization}"

    def get_absolute_url(self):
        return reverse("site-detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Окончание статуса раньше его начала."})

    @property
    def topic_labels(self) -> str:
        return topic_labels(self.topics)

    @property
    def programme_list(self) -> list[str]:
        return [p.strip() for p in self.programmes.splitlines() if p.strip()]


class Internship(models.Model):
    site = models.ForeignKey(InternshipSite, models.CASCADE, related_name="internships")
    person = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="internships", verbose_name="работник"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="internships",
        verbose_name="организация",
    )
    programme = models.CharField("программа стажировки", max_length=300, blank=True)
    starts_on = models.DateField("начало")
    ends_on = models.DateField("окончание")
    completed = models.BooleanField("завершена", default=False)
    version = version_field()

    class Meta:
        verbose_name = "стажировка"
        verbose_name_plural = "стажировки"
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["person", "starts_on"]),
            models.Index(fields=["site", "starts_on"]),
        ]

    def __str__(self):
        return f"{self.person} — {self.site.organization}"

    def get_absolute_url(self):
        return reverse("site-detail", args=[self.site_id])
