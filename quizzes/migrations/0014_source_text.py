from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0013_navigator_flags_layout_translation"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="text",
            field=models.TextField(
                blank=True,
                help_text=(
                    "The article's whole text, pasted as published: every quote of it is checked against it. Only "
                    "editors see it. Without it, quotes of this source are flagged “unverified”."
                ),
                verbose_name="full text",
            ),
        ),
    ]
