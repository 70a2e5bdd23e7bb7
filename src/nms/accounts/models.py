"""Users and their role assignments: each role bound to its own territory, organization or person
and valid for a period. A person holds several roles at once (DESIGN.md §1)."""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    ADMIN = "admin", "администратор"
    MINISTRY = "ministry", "министерство"
    CNPPM = "cnppm", "сотрудник ЦНППМ"
    METHODIST = "methodist", "региональный методист"
    MUNICIPAL = "municipal", "муниципальный координатор"
    SCHOOL = "school", "администрация ОО"
    TEACHER = "teacher", "педагог"
    EXPERT = "expert", "эксперт"


# What each role's scope is bound to (DESIGN.md §1); the administrator is bound to nothing.
REQUIRED_BINDING = {
    Role.MINISTRY: "region",
    Role.CNPPM: "region",
    Role.METHODIST: "region",
    Role.MUNICIPAL: "municipality",
    Role.SCHOOL: "organization",
    Role.TEACHER: "person",
    Role.EXPERT: "person",
}
BINDINGS = ("region", "municipality", "organization", "person")


class User(AbstractUser):
    person = models.OneToOneField(
        "registry.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name="работник",
    )
    assigned_people = models.ManyToManyField(
        "registry.Person",
        blank=True,
        related_name="methodists",
        verbose_name="сопровождаемые педагоги",
    )
    must_change_password = models.BooleanField(
        "сменить пароль при входе",
        default=False,
        help_text="Пароль выдан разово: при первом входе пользователь задаёт свой.",
    )

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


def active_on(day: date | None = None, prefix: str = "") -> Q:
    """Assignments in force on the day (today by default); `prefix` for lookups across a join."""
    day = day or date.today()
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class RoleAssignment(models.Model):
    """One role of a user, bound to what the role's scope is limited to, for a period."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="assignments", verbose_name="пользователь"
    )
    role = models.CharField("роль", max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "registry.Region", models.PROTECT, null=True, blank=True, verbose_name="регион"
    )
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name="муниципальное образование",
    )
    organization = models.ForeignKey(
        "registry.Organization", models.PROTECT, null=True, blank=True, verbose_name="организация"
    )
    person = models.ForeignKey(
        "registry.Person",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name="работник",
    )
    subjects = models.ManyToManyField(
        "registry.Subject",
        blank=True,
        verbose_name="предметы",
        help_text="Для методистов и экспертов: предметы, которыми ограничена роль.",
    )
    valid_from = models.DateField("действует с", null=True, blank=True)
    valid_to = models.DateField("действует по", null=True, blank=True)

    class Meta:
        verbose_name = "назначение роли"
        verbose_name_plural = "назначения ролей"
        ordering = ("user", "role", "id")
        indexes = [models.Index(fields=("role", "region"))]

    def __str__(self) -> str:
        binding = self.binding
        return f"{self.get_role_display()}" + (f" — {binding}" if binding else "")

    @property
    def binding(self):
        """What the role is bound to: the region, municipality, organization or person."""
        field = REQUIRED_BINDING.get(self.role)
        return getattr(self, field) if field else None

    def is_active(self, day: date | None = None) -> bool:
        day = day or date.today()
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def clean(self):
        super().clean()
        field = REQUIRED_BINDING.get(self.role)
        if field and getattr(self, f"{field}_id") is None:
            label = self._meta.get_field(field).verbose_name
            raise ValidationError(
                {field: f"Для роли «{self.get_role_display()}» укажите: {label}."}
            )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "Окончание действия раньше начала."})
