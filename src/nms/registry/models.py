"""Territories, organizations, people and their employments, dictionaries."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from nms.common.concurrency import version_field
from nms.common.identifiers import inn_error, oktmo_error, snils_digits, snils_error
from nms.common.text import search_key

YOUNG_TEACHER_MAX_AGE = 35
YOUNG_TEACHER_MAX_EXPERIENCE = 3
DAYS_PER_YEAR = Decimal("365.25")


def years_between(start: date, end: date) -> int:
    """Full years from start to end (age on a date)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def years_ago(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


BIRTH_AGE_MIN = 14
BIRTH_AGE_MAX = 100


def validate_birth_date(value: date, today: date | None = None) -> None:
    """A worker's birth date: between 14 and 100 years before today (inclusive).

    One rule for the pages, the API and the import; it is checked when a birth date is given,
    not on every save, so a record kept from before stays editable.
    """
    today = today or date.today()
    if value is None:
        return
    if value > years_ago(today, BIRTH_AGE_MIN):
        raise ValidationError(
            f"Дата рождения — не позже чем {BIRTH_AGE_MIN} лет назад: проверьте её.",
            code="birth_date_too_late",
        )
    if value < years_ago(today, BIRTH_AGE_MAX):
        raise ValidationError(
            f"Дата рождения — не раньше чем {BIRTH_AGE_MAX} лет назад: проверьте её.",
            code="birth_date_too_early",
        )


def _validate_oktmo(value):
    if error := oktmo_error(value):
        raise ValidationError(error)


def _validate_inn(value):
    if error := inn_error(value):
        raise ValidationError(error)


def _validate_snils(value):
    if error := snils_error(value):
        raise ValidationError(error)


class Region(models.Model):
    name = models.CharField("наименование", max_length=200, unique=True)
    code = models.CharField(
        "код субъекта РФ",
        max_length=3,
        blank=True,
        help_text="начало кодов ОКТМО его муниципальных образований: 2 цифры, "
        "у автономного округа в составе края или области — 3",
    )

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(Region, models.PROTECT, related_name="municipalities")
    name = models.CharField("наименование", max_length=200)
    oktmo = models.CharField("ОКТМО", max_length=11, unique=True, validators=[_validate_oktmo])

    class Meta:
        verbose_name = "муниципальное образование"
        verbose_name_plural = "муниципальные образования"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name")
        ]

    def __str__(self):
        return self.name


class OrganizationKind(models.TextChoices):
    GENERAL = "general", "общеобразовательная"
    PRESCHOOL = "preschool", "дошкольная"
    ADDITIONAL = "additional", "дополнительного образования"
    VOCATIONAL = "vocational", "профессиональная"
    HIGHER = "higher", "высшего образования"
    INSTITUTE = "institute", "ДПО/институт развития образования"
    METHODICAL_SERVICE = "methodical", "муниципальная методическая служба"
    AUTHORITY = "authority", "орган управления образованием"


class Organization(models.Model):
    region = models.ForeignKey(Region, models.PROTECT, related_name="organizations")
    municipality = models.ForeignKey(
        Municipality, models.PROTECT, related_name="organizations", verbose_name="муниципалитет"
    )
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    inn = models.CharField("ИНН", max_length=10, unique=True, validators=[_validate_inn])
    kind = models.CharField("тип", max_length=20, choices=OrganizationKind.choices)
    is_low_results = models.BooleanField("ШНОР (школа с низкими результатами)", default=False)
    is_unfavourable = models.BooleanField(
        "школа в неблагоприятных социальных условиях", default=False
    )
    search_text = models.CharField(max_length=800, editable=False, db_index=True)
    version = version_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["short_name", "id"]
        indexes = [
            models.Index(fields=["municipality", "kind"]),
            # The list's order within a region (an index scan up to the page, no sort).
            models.Index(fields=["region", "short_name", "id"], name="organization_region_order"),
        ]

    LABEL_FIELD = "short_name"  # what __str__ shows: long selects read the column alone

    def __str__(self):
        return self.short_name

    def save(self, *args, **kwargs):
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organization-detail", args=[self.pk])

    def compute_search_text(self) -> str:
        return search_key(self.short_name, self.full_name, self.inn)


class Position(models.Model):
    name = models.CharField("наименование", max_length=200, unique=True)
    is_pedagogical = models.BooleanField("педагогическая", default=True)

    class Meta:
        verbose_name = "должность"
        verbose_name_plural = "должности"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Subject(models.Model):
    name = models.CharField("наименование", max_length=200, unique=True)

    class Meta:
        verbose_name = "предмет"
        verbose_name_plural = "предметы"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Sex(models.TextChoices):
    MALE = "M", "мужской"
    FEMALE = "F", "женский"


class EducationLevel(models.TextChoices):
    HIGHER = "higher", "высшее"
    HIGHER_POSTGRADUATE = "postgraduate", "высшее (подготовка кадров высшей квалификации)"
    VOCATIONAL = "vocational", "среднее профессиональное"
    GENERAL = "general", "среднее общее"


class Person(models.Model):
    region = models.ForeignKey(Region, models.PROTECT, related_name="people")
    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    middle_name = models.CharField("отчество", max_length=100, blank=True)
    birth_date = models.DateField("дата рождения")
    sex = models.CharField("пол", max_length=1, choices=Sex.choices)
    snils = models.CharField(
        "СНИЛС",
        max_length=14,
        unique=True,
        validators=[_validate_snils],
        help_text="000-000-000 00",
    )
    education_level = models.CharField(
        "уровень образования", max_length=20, choices=EducationLevel.choices
    )
    has_pedagogical_education = models.BooleanField("педагогическое образование", default=True)
    email = models.EmailField("электронная почта", blank=True)
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    version = version_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "работник"
        verbose_name_plural = "работники"
        ordering = ["last_name", "first_name", "middle_name", "id"]
        indexes = [
            models.Index(fields=["birth_date"]),
            # The list's order within a region: the first page without sorting the region.
            models.Index(
                fields=["region", "last_name", "first_name", "middle_name", "id"],
                name="person_region_order",
            ),
            # … and for a scope not bound to a region (a municipality's, a school's, a
            # methodist's people): walked in order, each row checked, up to the page.
            models.Index(
                fields=["last_name", "first_name", "middle_name", "id"], name="person_name_order"
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("person-detail", args=[self.pk])

    def compute_search_text(self) -> str:
        return search_key(
            self.last_name, self.first_name, self.middle_name, self.snils, snils_digits(self.snils)
        )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def age(self, on: date | None = None) -> int:
        return years_between(self.birth_date, on or date.today())

    def experience_years(self, on: date | None = None) -> Decimal | None:
        """Pedagogical experience: the longest among the person's employments.

        Uses `employments.all()` so a prefetched list costs no query.
        """
        values = [e.experience_on(on) for e in self.employments.all()]
        return max(values) if values else None

    def is_young_teacher(self, on: date | None = None) -> bool:
        """Under 35 and pedagogical experience up to 3 years (the same rule as the SQL filter)."""
        on = on or date.today()
        starts = [e.experience_start for e in self.employments.all()]
        return (
            bool(starts)
            and self.birth_date > young_birth_cutoff(on)
            and min(starts) >= experience_cutoff(on, YOUNG_TEACHER_MAX_EXPERIENCE)
        )

    def main_employment(self) -> "Employment | None":
        """The main job: not part-time first, then the oldest record (uses a prefetched list)."""
        return min(self.employments.all(), key=lambda e: (e.is_part_time, e.pk), default=None)

    def is_manager(self) -> bool:
        return any(e.manager_kind for e in self.employments.all())


class ManagerKind(models.TextChoices):
    HEAD = "head", "руководитель"
    DEPUTY = "deputy", "заместитель руководителя"
    UNIT_HEAD = "unit_head", "руководитель структурного подразделения"


class Category(models.TextChoices):
    NONE = "none", "без категории"
    CONFORMITY = "conformity", "соответствие занимаемой должности"
    FIRST = "first", "первая"
    HIGHEST = "highest", "высшая"


class Employment(models.Model):
    person = models.ForeignKey(Person, models.CASCADE, related_name="employments")
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="employments", verbose_name="организация"
    )
    position = models.ForeignKey(
        Position, models.PROTECT, related_name="employments", verbose_name="должность"
    )
    manager_kind = models.CharField(
        "руководящая должность", max_length=20, choices=ManagerKind.choices, blank=True
    )
    subjects = models.ManyToManyField(
        Subject, blank=True, related_name="employments", verbose_name="предметы"
    )
    teaching_load = models.DecimalField(
        "учебная нагрузка, ч/нед", max_digits=4, decimal_places=1, null=True, blank=True
    )
    is_part_time = models.BooleanField("совместитель", default=False)
    category = models.CharField(
        "квалификационная категория", max_length=20, choices=Category.choices, default=Category.NONE
    )
    category_date = models.DateField("дата присвоения категории", null=True, blank=True)
    experience_years = models.DecimalField(
        "педагогический стаж, лет", max_digits=4, decimal_places=1
    )
    experience_as_of = models.DateField("стаж указан на дату")
    experience_start = models.DateField(
        "стаж исчисляется с",
        editable=False,
        db_index=True,
        help_text="Выводится из стажа и даты, на которую он указан; нужен для отбора в SQL.",
    )
    hire_date = models.DateField("дата приема на работу", null=True, blank=True)
    version = version_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "место работы"
        verbose_name_plural = "места работы"
        ordering = ["is_part_time", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"], name="employment_unique_person_organization"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "manager_kind"]),
            # The scope of a municipality or a school: its people from the index alone.
            models.Index(fields=["organization", "person"], name="employment_org_person"),
            models.Index(fields=["category"]),
            models.Index(fields=["position"]),
        ]

    def __str__(self):
        return f"{self.position} — {self.organization}"

    def save(self, *args, **kwargs):
        self.experience_start = self.compute_experience_start()
        super().save(*args, **kwargs)

    def compute_experience_start(self) -> date:
        return experience_start(self.experience_years, self.experience_as_of)

    def experience_on(self, on: date | None = None) -> Decimal:
        days = Decimal(((on or date.today()) - self.experience_start).days)
        return max(days / DAYS_PER_YEAR, Decimal(0)).quantize(Decimal("0.1"))


def experience_start(years, as_of: date) -> date:
    return as_of - timedelta(days=round(Decimal(years) * DAYS_PER_YEAR))


def experience_cutoff(on: date, years: int) -> date:
    """Experience of at most `years` on `on` means experience_start on or after this date."""
    return on - timedelta(days=int(years * DAYS_PER_YEAR))


def young_birth_cutoff(on: date) -> date:
    """Younger than 35 on `on` means born after this date."""
    return years_ago(on, YOUNG_TEACHER_MAX_AGE)
