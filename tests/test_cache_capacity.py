"""The shared cache keeps what every visitor reads while many learners each add entries of their own.

Each learner's starts, submits and review answers leave throttle counters and cached reads of their
own; on the database cache (SQLite, `make run`) a full table culls a third of its keys, the content
keys first (":1:quizzes:..." sorts before ":1:throttle..."), so a cache sized for a handful of
learners would rebuild every shared read again and again once a class is using the site.
"""

from django.core.cache import cache
import pytest

from quizzes import caching

pytestmark = pytest.mark.django_db

# What about a thousand learners leave within a minute: a start and a submit counter each.
LEARNERS_ENTRIES = 2000


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_many_learners_entries_leave_the_content_version_and_the_cached_content_in_place():
    builds = []

    def build():
        builds.append(1)
        return {"headline": "Parler"}

    version = caching.content_version()
    caching.cached_content("site-texts-probe", [], build)
    for number in range(LEARNERS_ENTRIES):
        cache.set(f"throttle_start_{number}", [1.0], timeout=60)

    assert caching.content_version() == version
    assert caching.cached_content("site-texts-probe", [], build) == {"headline": "Parler"}
    assert len(builds) == 1
