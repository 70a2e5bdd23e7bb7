from django.db import migrations


def load(apps, schema_editor):
    from nms.itembank.areas import install

    install(
        apps.get_model("diagnostics", "CompetencyArea"),
        apps.get_model("diagnostics", "SubCompetency"),
    )


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
