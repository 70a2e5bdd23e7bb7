from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_dictionaries")]

    operations = [
        migrations.AlterField(
            model_name="region",
            name="code",
            field=models.CharField(
                blank=True,
                help_text="начало кодов ОКТМО его муниципальных образований: 2 цифры, у автономного округа в составе края или области — 3",
                max_length=3,
                verbose_name="код субъекта РФ",
            ),
        ),
    ]
