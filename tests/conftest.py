import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests.factories import EditorFactory, StaffFactory, UserFactory


@pytest.fixture(scope="session", autouse=True)
def static_root_that_exists(tmp_path_factory):
    # WhiteNoise scans STATIC_ROOT each time a test client or the live server builds the middleware
    # and warns when it is missing (collectstatic never ran): hundreds of warnings per run. Tests in
    # this process serve no collected files (pages get them from the finders; the production servers
    # in tests/servers.py run collectstatic into the real STATIC_ROOT), so an empty one will do.
    with override_settings(STATIC_ROOT=str(tmp_path_factory.mktemp("staticfiles"))):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; the tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nosec B303


@pytest.fixture(autouse=True)
def empty_redis_cache():
    # Redis outlives each test's rolled-back transaction (the database cache does not): start every
    # test without cached reads, throttle counters or sessions left by the one before.
    if django_settings.REDIS_URL:
        cache.clear()


@pytest.fixture(autouse=True)
def empty_public_copy():
    # The process's copy of public reads outlives each test's rolled-back data, as it outlives an
    # editor's save in another process: each test starts without one.
    caches["public-copy"].clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return StaffFactory()


@pytest.fixture
def user_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# A database that stays busy: another connection holds the write lock longer than we wait.

WAIT_SECONDS = 0.2


@pytest.fixture
def busy_database(monkeypatch):
    """Make writes in this thread give up after WAIT_SECONDS; yields a lock held by another connection.

    `busy_database.hold(Model, ...)` takes the write lock, `busy_database.release()` lets it go (the
    end of the test releases it too).
    """
    if connection.vendor == "sqlite":
        connection.close()
        options = {**connection.settings_dict["OPTIONS"], "timeout": WAIT_SECONDS}
        monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = %s", [f"{int(WAIT_SECONDS * 1000)}ms"])
    lock = WriteLockHolder()
    yield lock
    lock.release()
    if connection.vendor == "sqlite":
        connection.close()
    else:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


class WriteLockHolder:
    """A second connection that holds the write lock on some tables (on SQLite: the whole file)."""

    def __init__(self):
        self.holder = None

    def hold(self, *models):
        self.holder = connections.create_connection(DEFAULT_DB_ALIAS)
        cursor = self.holder.cursor()
        if self.holder.vendor == "sqlite":
            cursor.execute("BEGIN IMMEDIATE")
        else:
            cursor.execute("BEGIN")
            tables = ", ".join(self.holder.ops.quote_name(model._meta.db_table) for model in models)
            # EXCLUSIVE lets others read but makes every write and row lock wait.
            cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")  # nosec B608 - our own table names

    def release(self):
        if self.holder is not None:
            with self.holder.cursor() as cursor:
                cursor.execute("ROLLBACK")
            self.holder.close()
            self.holder = None


# The admin's tests: an editor of the Editors group (not a superuser), and a superuser, each signed in.
@pytest.fixture
def editor():
    return EditorFactory()


@pytest.fixture
def editor_client(editor):
    client = Client(headers={"accept-language": "en"})
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client():
    client = Client(headers={"accept-language": "en"})
    client.force_login(StaffFactory())
    return client
