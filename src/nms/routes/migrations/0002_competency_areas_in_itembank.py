"""The competency areas moved from the diagnostics app to itembank, keeping their table: the
foreign keys of the routes point to the new model. State only, no database operation."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0001_initial"),
        ("itembank", "0001_initial"),
    ]
    # Before the diagnostics drop the old model from their state: nothing may point to it then.
    run_before = [("diagnostics", "0003_move_item_bank_to_itembank")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="routeitem",
                    name="area",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="itembank.competencyarea",
                        verbose_name="формируемая компетенция (область)",
                    ),
                ),
                migrations.AlterField(
                    model_name="routetemplate",
                    name="areas",
                    field=models.ManyToManyField(
                        blank=True,
                        to="itembank.competencyarea",
                        verbose_name="дефициты, на которые рассчитан",
                    ),
                ),
                migrations.AlterField(
                    model_name="templateitem",
                    name="area",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="itembank.competencyarea",
                    ),
                ),
            ],
        ),
    ]
