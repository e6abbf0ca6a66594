"""The permission to read quiz statistics and reports, held by the "Editors" group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_GROUP = "Editors"
REPORTS_PERMISSION = "view_quiz_reports"


def grant_reports_to_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure this one exists now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label="quizzes", codename=REPORTS_PERMISSION))


def revoke_reports_from_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="quizzes", codename=REPORTS_PERMISSION).delete()


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0003_attempt_percentile_index")]

    operations = [
        migrations.AlterModelOptions(
            name="quiz",
            options={
                "ordering": ["language", "title"],
                "permissions": [("view_quiz_reports", "Can view quiz statistics and reports")],
                "verbose_name": "quiz",
                "verbose_name_plural": "quizzes",
            },
        ),
        migrations.RunPython(grant_reports_to_editors, revoke_reports_from_editors),
    ]
