"""The shipped content for its checks.

All fixtures are loaded once per test module with `loaddata` (file-name order is load order, as in `make
fixtures`) inside a transaction that is rolled back, so the checks read plain records and leave the test
database untouched.
"""

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.content.records import FIXTURES_DIR, read_content


@pytest.fixture(scope="module")
def content(django_db_setup, django_db_blocker):
    """Everything in fixtures/, loaded the way `make fixtures` loads it, as plain records."""
    fixture_files = sorted(str(path) for path in FIXTURES_DIR.glob("*.yaml"))
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *fixture_files, verbosity=0)
        loaded = read_content()
        transaction.set_rollback(True)
    return loaded
