"""The competency areas, competencies and items moved to the itembank app (see itembank 0001).

State only: the foreign keys of the diagnostics now point to itembank's models (the same tables),
then the old models leave the state of this app. No database operation.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0002_competency_areas"),
        ("itembank", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="blueprintrow",
                    name="area",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="itembank.competencyarea",
                        verbose_name="область",
                    ),
                ),
                migrations.AlterField(
                    model_name="areascore",
                    name="area",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="scores",
                        to="itembank.competencyarea",
                    ),
                ),
                migrations.AlterField(
                    model_name="variantitem",
                    name="item",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="itembank.item"
                    ),
                ),
                migrations.AlterField(
                    model_name="answer",
                    name="item",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, to="itembank.item"
                    ),
                ),
                migrations.AlterField(
                    model_name="variant",
                    name="items",
                    field=models.ManyToManyField(
                        related_name="variants",
                        through="diagnostics.VariantItem",
                        to="itembank.item",
                    ),
                ),
                migrations.DeleteModel(name="Item"),
                migrations.DeleteModel(name="SubCompetency"),
                migrations.DeleteModel(name="CompetencyArea"),
            ],
        ),
    ]
