"""The built-in catalogue of indicators (CHECKLIST.md §2) as of this migration; later changes of
data/catalogue.json are loaded by `nms monitor --load-catalogue` (idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from nms.monitoring import catalogue

    catalogue.load(apps.get_model("monitoring", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
