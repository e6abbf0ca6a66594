"""Choices get random ids: a sequential id follows the authored order, which gave the answer away.

Existing choices are renumbered, and every reference to their ids moves with them: selections
(foreign keys, checked at commit), the choices saved in answers, and each attempt's display order.
"""

import secrets

from django.db import migrations, models

import quizzes.models

CHOICE_ID_LIMIT = 2**53


def renumber_choices(apps, schema_editor):
    Choice = apps.get_model("quizzes", "Choice")
    Selection = apps.get_model("quizzes", "Selection")
    Answer = apps.get_model("quizzes", "Answer")
    Attempt = apps.get_model("quizzes", "Attempt")
    old_ids = list(Choice.objects.values_list("id", flat=True))
    if not old_ids:
        return
    taken, new_ids = set(old_ids), set()
    while len(new_ids) < len(old_ids):
        candidate = secrets.randbelow(CHOICE_ID_LIMIT - 1) + 1
        if candidate not in taken:
            new_ids.add(candidate)
    renumbered = dict(zip(old_ids, new_ids))
    for old_id, new_id in renumbered.items():
        Choice.objects.filter(id=old_id).update(id=new_id)
        Selection.objects.filter(choice_id=old_id).update(choice_id=new_id)
    answers = list(Answer.objects.exclude(choice_ids=[]).only("id", "choice_ids"))
    for answer in answers:
        answer.choice_ids = [renumbered.get(choice_id, choice_id) for choice_id in answer.choice_ids]
    Answer.objects.bulk_update(answers, ["choice_ids"], batch_size=500)
    attempts = list(Attempt.objects.only("id", "choice_order"))
    for attempt in attempts:
        attempt.choice_order = {
            question_id: [renumbered.get(choice_id, choice_id) for choice_id in choice_ids]
            for question_id, choice_ids in attempt.choice_order.items()
        }
    Attempt.objects.bulk_update(attempts, ["choice_order"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0004_quiz_reports_permission")]

    operations = [
        migrations.AlterField(
            model_name="choice",
            name="id",
            field=models.BigIntegerField(
                default=quizzes.models.random_choice_id, editable=False, primary_key=True, serialize=False
            ),
        ),
        migrations.RunPython(renumber_choices, migrations.RunPython.noop),
    ]
