"""The review queue's index of memory states by due time gains `key` (what leaves a state out), so the
counts read the index alone.

On PostgreSQL the new index is built CONCURRENTLY and the old one dropped so, outside a transaction:
a plain DROP INDEX would hold an exclusive lock on the table, and every review and submit with it,
until the new index is built. Other databases build it the plain way.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class _ConcurrentlyOnPostgreSQL:
    """The CONCURRENTLY operation on PostgreSQL; on other databases its `plain` one."""

    plain = None

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return self.plain.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return self.plain.database_backwards(self, app_label, schema_editor, from_state, to_state)


class AddIndexConcurrentlyOnPostgreSQL(_ConcurrentlyOnPostgreSQL, AddIndexConcurrently):
    plain = migrations.AddIndex


class RemoveIndexConcurrentlyOnPostgreSQL(_ConcurrentlyOnPostgreSQL, RemoveIndexConcurrently):
    plain = migrations.RemoveIndex


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("quizzes", "0015_question_versions"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="memorystate",
            index=models.Index(fields=["owner", "due", "quiz", "key"], name="memory_state_due_key_idx"),
        ),
        RemoveIndexConcurrentlyOnPostgreSQL(model_name="memorystate", name="memory_state_due_idx"),
    ]
