"""Effective practices and methodical materials: submission, expert review, publication,
replication.

One table holds both kinds of item (`Item`, `kind` = practice | material); `Practice` and
`Material` are its proxies with their own pages, forms and API. The review workflow is one for
both (services.py):

    черновик → подана → на экспертизе → опубликована
                  ↑            ↓      ↘ отклонена
                  └── возвращена на доработку

Each round of review (`Item.round`, raised on every submission) has its experts
(`Assignment`), each writing one `Review` scored by the criteria (`Criterion`) with a verdict.
Every change of state is kept in `Transition` (who, when, comment). A published practice may be
taken up elsewhere (`Replication`, F5.5).
"""

import os

from django.db import models
from django.urls import reverse

from nms.common.concurrency import version_field
from nms.common.text import search_key


class ItemKind(models.TextChoices):
    PRACTICE = "practice", "практика"
    MATERIAL = "material", "методический материал"


class ItemLevel(models.TextChoices):
    SCHOOL = "school", "школьный"
    MUNICIPAL = "municipal", "муниципальный"
    REGIONAL = "regional", "региональный"
    FEDERAL = "federal", "федеральный"


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "черновик"
    SUBMITTED = "submitted", "подана"
    REVIEW = "review", "на экспертизе"
    PUBLISHED = "published", "опубликована"
    REVISION = "revision", "возвращена на доработку"
    REJECTED = "rejected", "отклонена"


class MaterialKind(models.TextChoices):
    RECOMMENDATIONS = "recommendations", "методические рекомендации"
    DEVELOPMENT = "development", "методическая разработка"
    COLLECTION = "collection", "сборник"
    MANUAL = "manual", "учебно-методическое пособие"
    PROGRAM = "program", "программа"
    OTHER = "other", "другое"


class Verdict(models.TextChoices):
    PUBLISH = "publish", "опубликовать"
    REVISE = "revise", "доработать"
    REJECT = "reject", "отклонить"


class Tag(models.Model):
    name = models.CharField("тег", max_length=60, unique=True)

    class Meta:
        verbose_name = "тег"
        verbose_name_plural = "теги"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Item(models.Model):
    """A practice or a methodical material of the region's banks."""

    kind = models.CharField("вид", max_length=20, choices=ItemKind.choices)
    region = models.ForeignKey("registry.Region", models.PROTECT, related_name="+")
    title = models.CharField("название", max_length=500)
    description = models.TextField(
        "описание (аннотация)", help_text="суть, результаты, условия применения"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="catalog_items",
        verbose_name="организация",
    )
    authors = models.ManyToManyField(
        "registry.Person",
        through="Authorship",
        related_name="catalog_items",
        blank=True,
        verbose_name="авторы",
    )
    coauthors = models.CharField(
        "соавторы не из реестра",
        max_length=500,
        blank=True,
        help_text="ФИО через запятую (соавторы из других регионов, вузов)",
    )
    level = models.CharField("уровень", max_length=20, choices=ItemLevel.choices)
    areas = models.ManyToManyField(
        "itembank.CompetencyArea",
        blank=True,
        related_name="catalog_items",
        verbose_name="области компетенций",
    )
    subjects = models.ManyToManyField(
        "registry.Subject", blank=True, related_name="catalog_items", verbose_name="предметы"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="items", verbose_name="теги")
    links = models.TextField("ссылки", blank=True, help_text="по одной в строке, http(s)://…")
    # A practice's own fields.
    direction = models.CharField("приоритетное направление", max_length=300, blank=True)
    event = models.ForeignKey(
        "events.Event",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalog_items",
        verbose_name="представлена на мероприятии (конкурсе)",
    )
    # A material's own fields.
    material_kind = models.CharField(
        "вид материала", max_length=20, choices=MaterialKind.choices, blank=True
    )
    audience = models.CharField("для кого", max_length=300, blank=True)

    status = models.CharField(
        "состояние", max_length=20, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    round = models.PositiveSmallIntegerField("раунд экспертизы", default=0)
    submitted_on = models.DateField("подана", null=True, blank=True)
    published_on = models.DateField("опубликована", null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    search_text = models.CharField(max_length=1000, editable=False, db_index=True)
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "элемент банка"
        verbose_name_plural = "практики и материалы"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "status", "region"]),
            models.Index(fields=["region", "published_on"]),
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["level"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        name = "catalogs-practice-detail" if self.is_practice else "catalogs-material-detail"
        return reverse(name, args=[self.pk])

    def compute_search_text(self) -> str:
        return search_key(self.title, self.description[:600])[:1000]

    @property
    def is_practice(self) -> bool:
        return self.kind == ItemKind.PRACTICE

    @property
    def kind_label(self) -> str:
        return "Практика" if self.is_practice else "Материал"

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    def get_public_url(self):
        name = "public-practice-detail" if self.is_practice else "public-material-detail"
        return reverse(name, args=[self.pk])


class PracticeManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=ItemKind.PRACTICE)


class MaterialManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=ItemKind.MATERIAL)


class Practice(Item):
    objects = PracticeManager()

    class Meta:
        proxy = True
        verbose_name = "эффективная практика"
        verbose_name_plural = "эффективные практики"

    def save(self, *args, **kwargs):
        self.kind = ItemKind.PRACTICE
        super().save(*args, **kwargs)


class Material(Item):
    objects = MaterialManager()

    class Meta:
        proxy = True
        verbose_name = "методический материал"
        verbose_name_plural = "методические материалы"

    def save(self, *args, **kwargs):
        self.kind = ItemKind.MATERIAL
        super().save(*args, **kwargs)


class Authorship(models.Model):
    item = models.ForeignKey(Item, models.CASCADE, related_name="authorships")
    person = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="authorships", verbose_name="автор"
    )
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "авторство"
        verbose_name_plural = "авторство"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "person"], name="catalogs_author_once")
        ]


def _upload_to(instance, filename):
    return f"catalogs/{instance.item_id}/{filename}"


class ItemFile(models.Model):
    item = models.ForeignKey(Item, models.CASCADE, related_name="files")
    file = models.FileField("файл", upload_to=_upload_to)
    uploaded_by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("загружен", auto_now_add=True)

    class Meta:
        verbose_name = "файл материалов"
        verbose_name_plural = "файлы материалов"
        ordering = ["id"]

    @property
    def filename(self) -> str:
        return os.path.basename(self.file.name)


class Criterion(models.Model):
    """A criterion of the expert review and its top score (an editable set, for both kinds)."""

    name = models.CharField("критерий", max_length=300)
    max_score = models.PositiveSmallIntegerField("максимальный балл", default=3)
    order = models.PositiveSmallIntegerField("порядок", default=0)
    active = models.BooleanField("применяется", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "критерий экспертизы"
        verbose_name_plural = "критерии экспертизы"
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name} (до {self.max_score})"


class Assignment(models.Model):
    """An expert named by the ЦНППМ to review an item in one round."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        "registry.Person",
        models.PROTECT,
        related_name="catalog_assignments",
        verbose_name="эксперт",
    )
    round = models.PositiveSmallIntegerField("раунд", default=1)
    assigned_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("назначен", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "назначение эксперта"
        verbose_name_plural = "назначения экспертов"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "expert", "round"], name="catalogs_assignment_once"
            )
        ]
        indexes = [models.Index(fields=["expert", "round"])]

    def __str__(self):
        return f"{self.expert}: {self.item}"


class Review(models.Model):
    """An expert's review: a score by each criterion, a total and a verdict."""

    assignment = models.OneToOneField(Assignment, models.CASCADE, related_name="review")
    item = models.ForeignKey(Item, models.CASCADE, related_name="reviews")
    expert = models.ForeignKey(
        "registry.Person", models.PROTECT, related_name="catalog_reviews", verbose_name="эксперт"
    )
    round = models.PositiveSmallIntegerField("раунд", default=1)
    scores = models.JSONField("баллы по критериям", default=dict)  # {criterion id: score}
    total = models.PositiveSmallIntegerField("сумма баллов", default=0)
    max_total = models.PositiveSmallIntegerField("максимум", default=0)
    verdict = models.CharField("решение эксперта", max_length=20, choices=Verdict.choices)
    comment = models.TextField("заключение", blank=True)
    created_at = models.DateTimeField("написан", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "экспертное заключение"
        verbose_name_plural = "экспертные заключения"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["item", "round"])]

    def __str__(self):
        return f"{self.expert}: {self.get_verdict_display()}"


class Transition(models.Model):
    """A change of an item's state: who, when, with what comment."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="transitions")
    from_status = models.CharField("было", max_length=20, choices=ItemStatus.choices, blank=True)
    to_status = models.CharField("стало", max_length=20, choices=ItemStatus.choices)
    actor = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField("комментарий", blank=True)
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "изменение состояния"
        verbose_name_plural = "история состояний"
        ordering = ["created_at", "id"]


class Replication(models.Model):
    """A published practice taken up by an organization or a municipality (F5.5)."""

    item = models.ForeignKey(
        Item, models.CASCADE, related_name="replications", verbose_name="практика"
    )
    organization = models.ForeignKey(
        "registry.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация",
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="муниципалитет",
    )
    level = models.CharField("уровень тиражирования", max_length=20, choices=ItemLevel.choices)
    replicated_on = models.DateField("дата")
    note = models.CharField("как внедрена", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "тиражирование практики"
        verbose_name_plural = "тиражирование практик"
        ordering = ["-replicated_on", "-id"]
        indexes = [models.Index(fields=["item", "replicated_on"])]

    def __str__(self):
        where = self.organization or self.municipality
        return f"{self.item}: {where}"
