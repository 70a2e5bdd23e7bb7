"""Users with a role and the territory or people the role is limited to."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "администратор"
    MINISTRY = "ministry", "министерство"
    CNPPM = "cnppm", "сотрудник ЦНППМ"
    METHODIST = "methodist", "региональный методист"
    MUNICIPAL = "municipal", "муниципальный координатор"
    SCHOOL = "school", "администрация ОО"
    TEACHER = "teacher", "педагог"
    EXPERT = "expert", "эксперт"


# What each role's scope is bound to (DESIGN.md §1).
REGION_ROLES = {Role.MINISTRY, Role.CNPPM}
REQUIRED_BINDING = {
    Role.MINISTRY: "region",
    Role.CNPPM: "region",
    Role.METHODIST: "region",
    Role.MUNICIPAL: "municipality",
    Role.SCHOOL: "organization",
    Role.TEACHER: "person",
    Role.EXPERT: "person",
}


class User(AbstractUser):
    role = models.CharField("роль", max_length=20, choices=Role.choices, default=Role.TEACHER)
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

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"

    def clean(self):
        super().clean()
        if self.is_superuser:
            return
        field = REQUIRED_BINDING.get(self.role)
        if field and getattr(self, f"{field}_id") is None:
            label = self._meta.get_field(field).verbose_name
            raise ValidationError(
                {field: f"Для роли «{self.get_role_display()}» укажите: {label}."}
            )

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
