"""Shared-cache reads: public responses and submitted results, and when they stop being valid.

Everything lives in Django's default cache (the database table, or Redis when REDIS_URL is set), so
every process on every machine sees the same entries and the same invalidation.

- Public content (quizzes, questions, choices, citations, topics, sources, feedback bands, the site's
  texts) has one *content version*, replaced whenever any of it is saved or deleted, one row
  (signals) or in bulk (ContentQuerySet). Every entry records the version it was built under and is
  read together with the current one in one round trip (versions.read_many: public responses, results,
  content, a learner's reads), so a save makes every old entry unusable at once.
- A submitted result only changes when it is regraded; it is kept as its rendered JSON body, as one
  of its owner's reads (learners.py): a regrade or an edit replaces the content version, anything the
  learner writes their own version. The percentile in a result compares with other learners and may
  lag by LEARNER_TIMEOUT.
- Statistics are cached for STATISTICS_TIMEOUT: they move with every submission, and an editor's
  dashboard a minute behind costs nothing, while aggregating all attempts per request grows with them.
- The home page is cached whole, as rendered HTML, for visitors who carry no session and no
  messages (nothing on their page is their own); for everyone else only its catalogue is cached
  while they never started a quiz.
- One learner's own reads (the review queue, the progress page, a submitted result) are cached per
  learner, content version and span of time they stay right in (learners.py); the services that
  write the learner's memory states or open, close or regrade their attempts call learner_changed().
- Whose an API token is (its user's few fields) is cached per token until the token or its user is
  saved or deleted (tokens.py), so a request with a token reads no token table.
- Cached public responses carry an ETag and Last-Modified, and a conditional GET gets 304. Each
  process also keeps them in its *public copy* (settings.PUBLIC_COPY_SECONDS, Django's local-memory
  cache), so a hit needs no shared-cache round trip: a save clears the saving process's copy at once,
  and every other process's copy is at most PUBLIC_COPY_SECONDS old.

The pieces: versions.py (the content version and the versioned get-or-build every entry goes
through), invalidation.py (what replaces the version: saves, bulk writes, one_content_change),
public.py (cached public responses and each process's public copy), reads.py (statistics, small
content, fragments and whole pages), learners.py (one learner's reads, results among them, and their
invalidation), tokens.py (whose an API token is, and its invalidation).
Callers use the names below.
"""

from .invalidation import connect_signals, content_changed, one_content_change
from .learners import LEARNER_TIMEOUT, cached_learner_read, cached_result, learner_changed
from .public import cacheable_query, public_get
from .reads import (
    build_with_each_version,
    cached_content,
    cached_content_entries,
    cached_fragment,
    cached_page,
    cached_statistics,
    store_content_entries,
)
from .tokens import TOKEN_TIMEOUT, cached_token_user, connect_token_signals
from .versions import (
    CONTENT_VERSION_KEY,
    PUBLIC_TIMEOUT,
    STATISTICS_TIMEOUT,
    CacheUnavailable,
    content_version,
)

__all__ = [
    "CONTENT_VERSION_KEY",
    "LEARNER_TIMEOUT",
    "PUBLIC_TIMEOUT",
    "STATISTICS_TIMEOUT",
    "TOKEN_TIMEOUT",
    "CacheUnavailable",
    "build_with_each_version",
    "cacheable_query",
    "cached_content",
    "cached_content_entries",
    "cached_fragment",
    "cached_learner_read",
    "cached_page",
    "cached_result",
    "cached_statistics",
    "cached_token_user",
    "connect_signals",
    "connect_token_signals",
    "content_changed",
    "content_version",
    "learner_changed",
    "one_content_change",
    "public_get",
    "store_content_entries",
]
