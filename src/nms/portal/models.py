"""The public portal and what only it holds: innovation sites, professional communities, the
resource navigator, news.

- Innovation site (региональная инновационная площадка, РИП): an organization's project on a
  topic for a period. Selection: an application (status «заявка подана») → the decision of the
  ЦНППМ or the ministry with the order's number and date → «действует» or «отказано»; later
  «завершила работу» or «статус прекращён». Plans and reports are files per year.
- Professional community: an association, a network community, a methodical association, an
  РУМО…; its level, topic, subjects, members (registry people) with leaders, links and events.
- Navigator of educational resources: a resource's kind, address, description, tags, audience.
- News: title, date, text and whether it is published.

Everything belongs to one region; what is published shows on the public portal (no login).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from nms.common.concurrency import version_field
from nms.common.text import search_key


class SiteStatus(models.TextChoices):
    APPLIED = "applied", "заявка подана"
    ACTIVE = "active", "действует"
    REJECTED = "rejected", "отказано"
    COMPLETED = "completed", "завершила работу"
    TERMINATED = "terminated", "статус прекращён"


# A site shown on the public portal: the selection gave it the status.
PUBLIC_SITE_STATUSES = (SiteStatus.ACTIVE, SiteStatus.COMPLETED)


class DecisionBody(models.TextChoices):
    CNPPM = "cnppm", "ЦНППМ"
    MINISTRY = "ministry", "министерство образования"


class DocumentKind(models.TextChoices):
    PLAN = "plan", "план работы"
    REPORT = "report", "отчёт"
    EXPERTISE = "expertise", "экспертное заключение"


# The documents of a public site shown on the public portal: its plan of work and its reports (the
# results the regulations publish). The expert opinion of the selection is an internal decision
# document (it may name the experts and judge the organization's staff): never public. The rule
# that applies it is selectors.public_site_documents.
PUBLIC_DOCUMENT_KINDS = (DocumentKind.PLAN, DocumentKind.REPORT)


class CommunityKind(models.TextChoices):
    ASSOCIATION = "association", "ассоциация"
    NETWORK = "network", "сетевое сообщество"
    METHODICAL = "methodical", "методическое объединение"
    RUMO = "rumo", "РУМО"
    CLUB = "club", "клуб"
    OTHER = "other", "другое"


class CommunityLevel(models.TextChoices):
    SCHOOL = "school", "уровень ОО"
    MUNICIPAL = "municipal", "муниципальный"
    DISTRICT = "district", "окружной"
    REGIONAL = "regional", "региональный"
    FEDERAL = "federal", "межрегиональный"


class MemberRole(models.TextChoices):
    LEADER = "leader", "руководитель"
    MEMBER = "member", "участник"


class ResourceKind(models.TextChoices):
    ACADEMY = "academy", "Академия Минпросвещения"
    MUNICIPAL = "municipal", "муниципальная методическая служба"
    COMMUNITY = "community", "профессиональное сообщество"
    PLATFORM = "platform", "образовательная платформа"
    LIBRARY = "library", "электронная библиотека"
    COURSE = "course", "онлайн-курс"
    OTHER = "other", "другое"


class Audience(models.TextChoices):
    ALL = "all", "все педагогические работники"
    TEACHERS = "teachers", "учителя"
    MANAGERS = "managers", "руководители"
    YOUNG = "young", "молодые педагоги"
    METHODISTS = "methodists", "методисты"
    PRESCHOOL = "preschool", "педагоги дошкольного образования"


def split_tags(text: str) -> list[str]:
    """«ФГОС, функциональная грамотность» → ["ФГОС", "функциональная грамотность"]."""
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def split_links(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Timestamped(models.Model):
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        abstract = True


class InnovationSite(Timestamped):
    """A regional innovation site: an organization's innovation project after a selection."""

    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "registry.Organization",
        models.PROTECT,
        related_name="innovation_sites",
        verbose_name="организация",
    )
    project = models.CharField("тема инновационного проекта", max_length=500)
    topic = models.CharField("направление", max_length=300, blank=True)
    description = models.TextField("описание проекта", blank=True)
    starts_on = models.DateField("период с")
    ends_on = models.DateField("период по")
    status = models.CharField(
        "состояние", max_length=20, choices=SiteStatus.choices, default=SiteStatus.APPLIED
    )
    applied_on = models.DateField("дата заявки", null=True, blank=True)
    decided_by = models.CharField(
        "решение приняло", max_length=20, choices=DecisionBody.choices, blank=True
    )
    order_number = models.CharField("номер приказа", max_length=50, blank=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    decision_comment = models.TextField("основание решения", blank=True)
    search_text = models.CharField(max_length=1000, editable=False, db_index=True, default="")
    version = version_field()

    class Meta:
        verbose_name = "региональная инновационная площадка"
        verbose_name_plural = "региональные инновационные площадки"
        ordering = ["-starts_on", "id"]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["region", "starts_on"]),
        ]

    def __str__(self):
        return f"РИП: {self.project}"

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.project, self.topic)[:1000]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("innovation-site-detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Окончание периода раньше его начала."})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_SITE_STATUSES


def _document_path(instance, filename):
    return f"portal/sites/{instance.site_id}/{instance.year}/{filename}"


class SiteDocument(models.Model):
    """A plan, a report or the selection's expert opinion of an innovation site for a year (one of
    each kind a year). `original_name` keeps the uploaded file's name as the user had it (the
    storage may change it: spaces, a suffix against a clash); downloads are given that name."""

    site = models.ForeignKey(
        InnovationSite, models.CASCADE, related_name="documents", verbose_name="площадка"
    )
    kind = models.CharField("документ", max_length=10, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField("год")
    file = models.FileField("файл", upload_to=_document_path, max_length=300)
    original_name = models.CharField("имя файла", max_length=255, blank=True, default="")
    uploaded_at = models.DateTimeField("загружен", auto_now=True)

    class Meta:
        verbose_name = "документ инновационной площадки"
        verbose_name_plural = "документы инновационных площадок"
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "year"], name="portal_site_doc_year")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} за {self.year} год"

    @property
    def filename(self) -> str:
        """The name a download is given: the uploaded one, else the stored file's."""
        return self.original_name or self.file.name.rsplit("/", 1)[-1]

    @property
    def size(self) -> int | None:
        """The file's size in bytes, or None when the file is missing from the storage."""
        try:
            return self.file.size
        except (OSError, ValueError):
            return None


class Community(Timestamped):
    """A professional community of the region."""

    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="муниципалитет",
        help_text="Пусто — сообщество региона.",
    )
    name = models.CharField("наименование", max_length=300)
    kind = models.CharField("вид", max_length=20, choices=CommunityKind.choices)
    level = models.CharField("уровень", max_length=20, choices=CommunityLevel.choices)
    topic = models.CharField("тематика", max_length=300, blank=True)
    description = models.TextField("описание", blank=True)
    subjects = models.ManyToManyField(
        "registry.Subject", blank=True, related_name="+", verbose_name="предметы"
    )
    links = models.TextField("ссылки", blank=True, help_text="По одной в строке.")
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="+", verbose_name="мероприятия"
    )
    founded_on = models.DateField("создано", null=True, blank=True)
    published = models.BooleanField("на открытом портале", default=True)
    search_text = models.CharField(max_length=700, editable=False, db_index=True, default="")
    version = version_field()

    class Meta:
        verbose_name = "профессиональное сообщество"
        verbose_name_plural = "профессиональные сообщества"
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["region", "kind"]),
            models.Index(fields=["region", "level"]),
            models.Index(fields=["region", "published"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.name, self.topic)[:700]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("community-detail", args=[self.pk])

    @property
    def link_list(self) -> list[str]:
        return split_links(self.links)


class CommunityMember(models.Model):
    community = models.ForeignKey(
        Community, models.CASCADE, related_name="members", verbose_name="сообщество"
    )
    person = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="+", verbose_name="работник"
    )
    role = models.CharField(
        "роль", max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    joined_on = models.DateField("вступил", null=True, blank=True)

    class Meta:
        verbose_name = "участник сообщества"
        verbose_name_plural = "участники сообществ"
        ordering = ["role", "person__last_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "person"], name="portal_member_once")
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class Resource(Timestamped):
    """A resource of the navigator of educational resources."""

    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    title = models.CharField("наименование", max_length=300)
    kind = models.CharField("вид", max_length=20, choices=ResourceKind.choices)
    url = models.URLField("адрес", max_length=500)
    description = models.TextField("описание", blank=True)
    tags = models.CharField("теги", max_length=500, blank=True, help_text="Через запятую.")
    audience = models.CharField(
        "для кого", max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    published = models.BooleanField("на открытом портале", default=True)
    search_text = models.CharField(max_length=1000, editable=False, db_index=True, default="")
    version = version_field()

    class Meta:
        verbose_name = "ресурс навигатора"
        verbose_name_plural = "навигатор образовательных ресурсов"
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["region", "kind"]),
            models.Index(fields=["region", "published"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.title, self.description[:400], self.tags)[:1000]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("resource-detail", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return split_tags(self.tags)


class News(Timestamped):
    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    title = models.CharField("заголовок", max_length=300)
    published_on = models.DateField("дата")
    text = models.TextField("текст")
    published = models.BooleanField("опубликована", default=False)
    search_text = models.CharField(max_length=300, editable=False, db_index=True, default="")
    version = version_field()

    class Meta:
        verbose_name = "новость"
        verbose_name_plural = "новости"
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["region", "published", "published_on"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.title)[:300]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news-detail", args=[self.pk])
