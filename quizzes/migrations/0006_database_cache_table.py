"""The database cache table, so that `migrate` alone gives a working service.

Without REDIS_URL the cache (public reads, throttle counters) lives in a database table that Django
only creates with a separate `createcachetable`; a deploy that ran only `migrate` answered every
request touching the cache with 500. This runs createcachetable's own logic for the DatabaseCache
entries of settings.CACHES as they are when `migrate` runs: it skips a table that exists, and with
Redis configured there is nothing to create. A site that later drops REDIS_URL runs `migrate`'s
companion `createcachetable` once (the README says so).
"""

from io import StringIO

from django.core.management import call_command
from django.db import migrations


def create_database_cache_tables(apps, schema_editor):
    # Django's command: the same table layout and index as `createcachetable`, on this database only.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0, stdout=StringIO())


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0005_choice_random_ids")]

    # Reversing leaves the table: it holds nothing but entries that are rebuilt on demand.
    operations = [migrations.RunPython(create_database_cache_tables, migrations.RunPython.noop)]
