# The first answer models had integer keys (their order told who answered first) and no administration.
# No page could write them yet; they are replaced by the models of 0003.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reflections", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="Answer"),
        migrations.DeleteModel(name="Completion"),
        migrations.DeleteModel(name="Response"),
        migrations.RemoveField(model_name="question", name="choices"),
    ]
