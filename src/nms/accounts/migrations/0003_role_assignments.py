"""Several roles per person: each user's single role becomes one role assignment."""

import django.db.models.deletion
from django.db import migrations, models

REQUIRED_BINDING = {
    "ministry": "region",
    "cnppm": "region",
    "methodist": "region",
    "municipal": "municipality",
    "school": "organization",
    "teacher": "person",
    "expert": "person",
}


def users_to_assignments(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    assignments = []
    for user in User.objects.all().iterator():
        if user.is_superuser and user.role == "teacher" and user.person_id is None:
            continue  # a plain superuser: the administrator needs no assignment
        assignments.append(
            RoleAssignment(
                user_id=user.pk,
                role=user.role,
                region_id=user.region_id,
                municipality_id=user.municipality_id,
                organization_id=user.organization_id,
                person_id=user.person_id if REQUIRED_BINDING.get(user.role) == "person" else None,
            )
        )
    RoleAssignment.objects.bulk_create(assignments)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("registry", "0002_dictionaries"),
    ]

    operations = [
        migrations.CreateModel(
            name="RoleAssignment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("admin", "администратор"),
                            ("ministry", "министерство"),
                            ("cnppm", "сотрудник ЦНППМ"),
                            ("methodist", "региональный методист"),
                            ("municipal", "муниципальный координатор"),
                            ("school", "администрация ОО"),
                            ("teacher", "педагог"),
                            ("expert", "эксперт"),
                        ],
                        max_length=20,
                        verbose_name="роль",
                    ),
                ),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="действует с")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="действует по")),
                (
                    "municipality",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="registry.municipality",
                        verbose_name="муниципальное образование",
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="registry.organization",
                        verbose_name="организация",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="role_assignments",
                        to="registry.person",
                        verbose_name="работник",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="registry.region",
                        verbose_name="регион",
                    ),
                ),
                (
                    "subjects",
                    models.ManyToManyField(
                        blank=True,
                        help_text="Для методистов и экспертов: предметы, которыми ограничена роль.",
                        to="registry.subject",
                        verbose_name="предметы",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assignments",
                        to="accounts.user",
                        verbose_name="пользователь",
                    ),
                ),
            ],
            options={
                "verbose_name": "назначение роли",
                "verbose_name_plural": "назначения ролей",
                "ordering": ("user", "role", "id"),
                "indexes": [
                    models.Index(fields=["role", "region"], name="accounts_ro_role_e32748_idx")
                ],
            },
        ),
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(
                default=False,
                help_text="Пароль выдан разово: при первом входе пользователь задаёт свой.",
                verbose_name="сменить пароль при входе",
            ),
        ),
        migrations.RunPython(users_to_assignments, migrations.RunPython.noop),
        migrations.RemoveField(model_name="user", name="role"),
        migrations.RemoveField(model_name="user", name="region"),
        migrations.RemoveField(model_name="user", name="municipality"),
        migrations.RemoveField(model_name="user", name="organization"),
    ]
