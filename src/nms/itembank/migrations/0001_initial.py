"""The competency areas, competencies and items, moved here from the diagnostics app.

The tables stay as they were (`db_table` = "diagnostics_…"), so the move is a change of Django's
state only: this migration creates the models in the state of this app, diagnostics 0003 deletes
them from the state of the diagnostics, and no table, row, index or constraint is touched.
The content types of the three models are relabelled, so permissions and admin history follow.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("competencyarea", "subcompetency", "item")


def relabel_content_types(apps, schema_editor, source="diagnostics", target="itembank"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(
        ContentType.objects.using(db)
        .filter(app_label=target, model__in=MOVED)
        .values_list("model", flat=True)
    )
    ContentType.objects.using(db).filter(app_label=source, model__in=MOVED).exclude(
        model__in=taken
    ).update(app_label=target)


def restore_content_types(apps, schema_editor):
    relabel_content_types(apps, schema_editor, source="itembank", target="diagnostics")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0002_dictionaries"),
        # The tables were created (and the areas loaded) by the diagnostics' migrations.
        ("diagnostics", "0002_competency_areas"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="CompetencyArea",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.SlugField(max_length=30, unique=True, verbose_name="код")),
                        (
                            "name",
                            models.CharField(
                                max_length=200, unique=True, verbose_name="наименование"
                            ),
                        ),
                        (
                            "for_managers",
                            models.BooleanField(
                                default=False, verbose_name="только для руководителей"
                            ),
                        ),
                        (
                            "is_subject",
                            models.BooleanField(
                                default=False,
                                help_text="Задания этой области привязаны к предмету.",
                                verbose_name="предметная",
                            ),
                        ),
                        (
                            "order",
                            models.PositiveSmallIntegerField(default=0, verbose_name="порядок"),
                        ),
                    ],
                    options={
                        "verbose_name": "область компетенций",
                        "verbose_name_plural": "области компетенций",
                        "db_table": "diagnostics_competencyarea",
                        "ordering": ["order", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="SubCompetency",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=300, verbose_name="наименование")),
                        (
                            "area",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="subcompetencies",
                                to="itembank.competencyarea",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "компетенция",
                        "verbose_name_plural": "компетенции",
                        "db_table": "diagnostics_subcompetency",
                        "ordering": ["area", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="Item",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.CharField(max_length=40, unique=True, verbose_name="шифр")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("single", "один верный ответ"),
                                    ("multiple", "несколько верных ответов"),
                                    ("short", "краткий ответ"),
                                    ("matching", "установление соответствия"),
                                    ("ordering", "установление последовательности"),
                                ],
                                max_length=20,
                                verbose_name="тип",
                            ),
                        ),
                        (
                            "difficulty",
                            models.PositiveSmallIntegerField(
                                choices=[(1, "базовый"), (2, "повышенный"), (3, "высокий")],
                                default=2,
                                verbose_name="уровень сложности",
                            ),
                        ),
                        ("text", models.TextField(verbose_name="формулировка")),
                        (
                            "options",
                            models.JSONField(blank=True, default=list, verbose_name="варианты"),
                        ),
                        ("key", models.JSONField(verbose_name="ключ")),
                        (
                            "points",
                            models.PositiveSmallIntegerField(default=1, verbose_name="баллов"),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("draft", "черновик"),
                                    ("review", "на экспертизе"),
                                    ("approved", "утверждено"),
                                    ("rejected", "отклонено"),
                                ],
                                default="draft",
                                max_length=20,
                                verbose_name="статус экспертизы",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "area",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="items",
                                to="itembank.competencyarea",
                                verbose_name="область",
                            ),
                        ),
                        (
                            "subject",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="items",
                                to="registry.subject",
                                verbose_name="предмет",
                            ),
                        ),
                        (
                            "subcompetency",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="items",
                                to="itembank.subcompetency",
                                verbose_name="компетенция",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "задание",
                        "verbose_name_plural": "банк заданий",
                        "db_table": "diagnostics_item",
                        "ordering": ["area__order", "code"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="subcompetency",
                    constraint=models.UniqueConstraint(
                        fields=("area", "name"), name="subcompetency_unique_name"
                    ),
                ),
                migrations.AddIndex(
                    model_name="item",
                    index=models.Index(
                        fields=["status", "area", "difficulty", "subject"],
                        name="diagnostics_status_8bf2b9_idx",
                    ),
                ),
            ],
        ),
        migrations.RunPython(relabel_content_types, restore_content_types, elidable=True),
    ]
