"""Staff schedules and vacancies, diplomas and profile match, target training and young
specialists.

- `StaffSchedule` (an organization's staff schedule for a school year) with its `ScheduleRow`s:
  position, subject (optional), rates (ставки) and filled rates; vacant = rates − filled, never
  negative (filled ≤ rates is a constraint).
- `Vacancy`: an organization's open position, published on the public vacancy list (no person's
  data: organization, position, subject, rates, load, requirements).
- `Specialty` → the subjects it qualifies for (an editable directory) and `Diploma`s of people.
  «Преподаёт не по профилю» is computed (selectors.taught_subjects), never stored.
- `TargetContract`: target training (целевое обучение) of a student — the student's name as a
  contract party, no СНИЛС — and the graduate's employment when hired.
- `PedagogicalClass`: psychological-pedagogical classes of a school in a school year.

A school year is stored as the year it starts (2025 → «2025/26»).
"""

from datetime import date
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from nms.common.concurrency import version_field
from nms.common.text import search_key

FIRST_YEAR, LAST_YEAR = 1950, 2100


def school_year_label(year: int | None) -> str:
    return f"{year}/{(year + 1) % 100:02d}" if year else ""


def school_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 9, 1), date(year + 1, 8, 31)


def school_year_of(day: date) -> int:
    """The school year a day falls in (1 September starts a new one)."""
    return day.year if day.month >= 9 else day.year - 1


def school_years_q(starts_on: date, ends_on: date, field: str = "year") -> Q:
    """School years overlapping the period [starts_on, ends_on]."""
    first, last = school_year_of(starts_on), school_year_of(ends_on)
    return Q(**{f"{field}__gte": first, f"{field}__lte": last})


def _year_field(label="учебный год (год начала)"):
    return models.PositiveSmallIntegerField(
        label,
        validators=[MinValueValidator(2000), MaxValueValidator(LAST_YEAR)],
        help_text="Год, с которого начинается учебный год: 2025 — это 2025/26.",
    )


RATES = {"max_digits": 7, "decimal_places": 2}


class StaffSchedule(models.Model):
    organization = models.ForeignKey(
        "registry.Organization",
        models.PROTECT,
        related_name="staff_schedules",
        verbose_name="организация",
    )
    year = _year_field()
    approved_on = models.DateField("утверждено", null=True, blank=True)
    note = models.TextField("примечание", blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "штатное расписание"
        verbose_name_plural = "штатные расписания"
        ordering = ["-year", "organization__short_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="staff_schedule_unique")
        ]
        indexes = [models.Index(fields=["year", "organization"], name="staff_schedule_year")]

    def __str__(self):
        return f"{self.organization} — {self.school_year}"

    def get_absolute_url(self):
        return reverse("staffing-schedule-detail", args=[self.pk])

    @property
    def school_year(self) -> str:
        return school_year_label(self.year)


class ScheduleRow(models.Model):
    schedule = models.ForeignKey(StaffSchedule, models.CASCADE, related_name="rows")
    position = models.ForeignKey(
        "registry.Position", models.PROTECT, related_name="+", verbose_name="должность"
    )
    subject = models.ForeignKey(
        "registry.Subject",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="предмет",
    )
    rates = models.DecimalField("ставок по штату", **RATES)
    filled = models.DecimalField("занято ставок", default=Decimal(0), **RATES)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "строка штатного расписания"
        verbose_name_plural = "строки штатного расписания"
        ordering = ["position__name", "subject__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rates__gte=0) & Q(filled__gte=0) & Q(filled__lte=F("rates")),
                name="schedule_row_rates_valid",
            ),
        ]
        indexes = [models.Index(fields=["schedule", "position"], name="schedule_row_position")]

    def __str__(self):
        subject = f" ({self.subject})" if self.subject_id else ""
        return f"{self.position}{subject}: {self.rates}"

    @property
    def vacant(self) -> Decimal:
        return max((self.rates or 0) - (self.filled or 0), Decimal(0))


class Vacancy(models.Model):
    organization = models.ForeignKey(
        "registry.Organization",
        models.PROTECT,
        related_name="vacancies",
        verbose_name="организация",
    )
    position = models.ForeignKey(
        "registry.Position", models.PROTECT, related_name="+", verbose_name="должность"
    )
    subject = models.ForeignKey(
        "registry.Subject",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="предмет",
    )
    rates = models.DecimalField("ставок", default=Decimal(1), **RATES)
    load_hours = models.DecimalField(
        "нагрузка, ч/нед", max_digits=4, decimal_places=1, null=True, blank=True
    )
    requirements = models.TextField("требования к кандидату", blank=True)
    conditions = models.TextField("условия (жильё, выплаты молодым специалистам)", blank=True)
    published = models.BooleanField("опубликована", default=False)
    opened_on = models.DateField("открыта")
    closed_on = models.DateField("закрыта", null=True, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "вакансия"
        verbose_name_plural = "вакансии"
        ordering = ["-opened_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rates__gt=0), name="vacancy_rates_positive"),
        ]
        indexes = [
            models.Index(fields=["published", "closed_on"], name="vacancy_published"),
            models.Index(fields=["organization", "opened_on"], name="vacancy_organization"),
        ]

    def __str__(self):
        subject = f" ({self.subject})" if self.subject_id else ""
        return f"{self.position}{subject} — {self.organization}"

    def get_absolute_url(self):
        return reverse("staffing-vacancy-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None or self.closed_on >= date.today()


class Specialty(models.Model):
    code = models.CharField("код", max_length=20, blank=True, help_text="например, 44.03.05")
    name = models.CharField("специальность (направление подготовки)", max_length=300, unique=True)
    is_pedagogical = models.BooleanField("педагогическая", default=True)
    subjects = models.ManyToManyField(
        "registry.Subject",
        blank=True,
        related_name="specialties",
        verbose_name="даёт право преподавать предметы",
    )
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "специальность"
        verbose_name_plural = "специальности"
        ordering = ["name"]

    def __str__(self):
        return f"{self.code} {self.name}".strip()

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.code, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("staffing-specialty-detail", args=[self.pk])


class DiplomaLevel(models.TextChoices):
    HIGHER = "higher", "высшее"
    POSTGRADUATE = "postgraduate", "высшее (подготовка кадров высшей квалификации)"
    VOCATIONAL = "vocational", "среднее профессиональное"


class Diploma(models.Model):
    person = models.ForeignKey(
        "registry.Person", models.CASCADE, related_name="diplomas", verbose_name="работник"
    )
    level = models.CharField("уровень образования", max_length=20, choices=DiplomaLevel.choices)
    institution = models.CharField("образовательная организация", max_length=300)
    year = models.PositiveSmallIntegerField(
        "год окончания", validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    specialty = models.ForeignKey(
        Specialty, models.PROTECT, related_name="diplomas", verbose_name="специальность"
    )
    qualification = models.CharField("квалификация", max_length=300, blank=True)
    is_pedagogical = models.BooleanField("педагогическое образование", default=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "диплом"
        verbose_name_plural = "дипломы"
        ordering = ["person__last_name", "person__first_name", "-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "specialty", "year", "institution"], name="diploma_unique"
            )
        ]
        indexes = [
            models.Index(fields=["person", "year"], name="diploma_person_year"),
            models.Index(fields=["specialty"], name="diploma_specialty"),
        ]

    def __str__(self):
        return f"{self.get_level_display()}, {self.institution}, {self.year}"

    def get_absolute_url(self):
        return reverse("staffing-diploma-detail", args=[self.pk])


class ContractStatus(models.TextChoices):
    STUDYING = "studying", "обучается"
    GRADUATED = "graduated", "окончил обучение"
    EMPLOYED = "employed", "трудоустроен"
    TERMINATED = "terminated", "расторгнут"


class TargetContract(models.Model):
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        related_name="target_contracts",
        verbose_name="муниципалитет",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="target_contracts",
        verbose_name="организация-заказчик",
    )
    number = models.CharField("номер договора", max_length=50, blank=True)
    student_name = models.CharField(
        "обучающийся (сторона договора)",
        max_length=300,
        help_text="ФИО как в договоре; СНИЛС и другие данные обучающегося не хранятся.",
    )
    institution = models.CharField("вуз или колледж", max_length=300)
    specialty = models.ForeignKey(
        Specialty,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="target_contracts",
        verbose_name="специальность",
    )
    signed_on = models.DateField("заключён")
    study_ends_on = models.DateField("плановое окончание обучения")
    graduated_on = models.DateField("окончил обучение", null=True, blank=True)
    status = models.CharField(
        "состояние", max_length=20, choices=ContractStatus.choices, default=ContractStatus.STUDYING
    )
    person = models.ForeignKey(
        "registry.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="target_contracts",
        verbose_name="выпускник в реестре",
    )
    employment = models.ForeignKey(
        "registry.Employment",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="место работы после обучения",
    )
    employed_on = models.DateField("трудоустроен", null=True, blank=True)
    search_text = models.CharField(max_length=800, editable=False)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "договор о целевом обучении"
        verbose_name_plural = "договоры о целевом обучении"
        ordering = ["-signed_on", "id"]
        indexes = [
            models.Index(fields=["municipality", "signed_on"], name="target_contract_signed"),
            models.Index(fields=["graduated_on"], name="target_contract_graduated"),
            models.Index(fields=["status"], name="target_contract_status"),
        ]

    def __str__(self):
        number = f"№ {self.number}, " if self.number else ""
        return f"Договор {number}{self.student_name}"

    def save(self, *args, **kwargs):
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("staffing-contract-detail", args=[self.pk])

    def compute_search_text(self) -> str:
        return search_key(self.number, self.student_name, self.institution)


class ClassProfile(models.TextChoices):
    PSYCHOLOGICAL = "psychological", "психолого-педагогический"
    PEDAGOGICAL = "pedagogical", "педагогический"


class PedagogicalClass(models.Model):
    organization = models.ForeignKey(
        "registry.Organization",
        models.PROTECT,
        related_name="pedagogical_classes",
        verbose_name="организация",
    )
    year = _year_field()
    profile = models.CharField(
        "профиль", max_length=20, choices=ClassProfile.choices, default=ClassProfile.PSYCHOLOGICAL
    )
    grade = models.PositiveSmallIntegerField(
        "параллель", validators=[MinValueValidator(5), MaxValueValidator(11)], default=10
    )
    pupils = models.PositiveSmallIntegerField(
        "число обучающихся", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    partner = models.CharField("вуз или колледж — партнёр", max_length=300, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    version = version_field()

    class Meta:
        verbose_name = "педагогический класс"
        verbose_name_plural = "педагогические классы"
        ordering = ["-year", "organization__short_name", "grade", "id"]
        indexes = [models.Index(fields=["year", "organization"], name="pedagogical_class_year")]

    def __str__(self):
        return f"{self.grade} класс ({self.get_profile_display()}), {self.organization}"

    def get_absolute_url(self):
        return reverse("staffing-class-detail", args=[self.pk])

    @property
    def school_year(self) -> str:
        return school_year_label(self.year)
