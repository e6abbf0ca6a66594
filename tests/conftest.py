import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import StaffFactory, UserFactory


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
