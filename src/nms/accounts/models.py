"""Users and their role assignments: each role bound to its own territory, organization or person
and valid for a period. A person holds several roles at once (DESIGN.md §1)."""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from nms.common.concurrency import version_field


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

    def save(self, *args, **kwargs):
        # `set_password` (the password change page, the admin, `changepassword`, a one-time password
        # issued anew) leaves the raw password in `_password` until the save; a hash upgrade on
        # login clears it first, so it does not count. A new password revokes every API token.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            self.api_tokens.all().delete()


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
    version = version_field()

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


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A named API token of a user (`Authorization: Token …`). Only the key's SHA-256 is stored:
    the key is shown once, when the token is made. A token expires after `NMS_TOKEN_DAYS` days and
    is revoked by its owner or by a change of the owner's password."""

    user = models.ForeignKey(
        User, models.CASCADE, related_name="api_tokens", verbose_name="пользователь"
    )
    name = models.CharField("название", max_length=100)
    key_digest = models.CharField("SHA-256 ключа", max_length=64, unique=True, editable=False)
    prefix = models.CharField("начало ключа", max_length=8, editable=False)
    created = models.DateTimeField("создан", default=timezone.now, editable=False)
    last_used = models.DateTimeField("использован", null=True, blank=True, editable=False)
    expires = models.DateTimeField("действует до")

    class Meta:
        verbose_name = "токен API"
        verbose_name_plural = "токены API"
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires <= timezone.now()

    @classmethod
    def issue(cls, user, name: str, days: int | None = None) -> tuple["ApiToken", str]:
        """A new token and its key (shown to the user once, never stored)."""
        key = secrets.token_hex(20)
        days = settings.NMS_TOKEN_DAYS if days is None else days
        now = timezone.now()
        token = cls.objects.create(
            user=user,
            name=name[:100],
            key_digest=_digest(key),
            prefix=key[:8],
            created=now,
            expires=now + timedelta(days=days),
        )
        return token, key

    @classmethod
    def find(cls, key: str) -> "ApiToken | None":
        return cls.objects.select_related("user").filter(key_digest=_digest(key)).first()
