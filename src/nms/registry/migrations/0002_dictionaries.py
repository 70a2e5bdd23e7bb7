from django.db import migrations


def load(apps, schema_editor):
    from nms.registry.dictionaries import install

    install(apps.get_model("registry", "Position"), apps.get_model("registry", "Subject"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
