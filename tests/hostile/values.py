"""Hostile values, and how the hostile-input tests send them and count what was written."""

import json
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from quizzes.models import Answer, Attempt, Choice, Citation, Question, Quiz, Selection, Source, Topic

SCRIPT = "<script>alert(1)</script>"
MEGABYTE_STRING = "a" * (1024 * 1024)
ODD_STRINGS = [
    SCRIPT,
    "\"><img src=x onerror=alert(1)>",
    "' OR '1'='1' --",
    "1; DROP TABLE quizzes_answer; --",
    "nul\x00byte",
    "\u202eevil\u202c",
    "emoji \U0001f600",
    "\ud800 lone surrogate",
    MEGABYTE_STRING,
]
# Values that are not a positive id of something the caller may use. ("1" and true are left out:
# DRF reads them as the integer 1, a real id, as it reads any JSON number written as a string.)
BAD_IDS = [-1, 0, 999_999, 2**31, 2**63, 10**30, 1.5, None, "abc", "-1", [], {}]
# Values no username may be, nor any password (a password may otherwise hold anything).
INVALID_FOR_ANY_TEXT = ["nul\x00byte", "\ud800 lone surrogate", MEGABYTE_STRING]


def row_counts():
    models = [get_user_model(), Token, Quiz, Question, Choice, Citation, Source, Topic, Attempt, Answer, Selection]
    return {model.__name__: model.objects.count() for model in models}


def raw_json(client, method, url, body):
    """Send `body` (bytes or an object to encode) as the JSON request body."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return getattr(client, method)(url, data=data, content_type="application/json")


def assert_clear_client_error(response):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    assert response.json(), "an error says what is wrong"



def hostile_answer_bodies(world):
    first, second, *_ = world["choices"]
    bodies = [
        b'{"choices": [1,',
        b"",
        b"null",
        b"[]",
        b'"choices"',
        b'{"choices": [NaN]}',
        b'{"choices": [Infinity]}',
        b"[" * 50_000 + b"]" * 50_000,
        {"choices": "1"},
        {"choices": {"0": first}},
        {"choices": None},
        {"choices": [first, first]},
        {"choices": [first, second]},
        {"choices": [world["foreign_choice"]]},
        {"choices": list(range(1, 5_001))},
        {"choices": [first] * 200_000},
        {},
        {"choice": [first]},
    ]
    bodies += [{"choices": [bad_id]} for bad_id in BAD_IDS]
    bodies += [{"choices": [value]} for value in ODD_STRINGS]
    return bodies


def post_form(client, url, fields):
    """POST form fields as a browser would, lone surrogates included (as the invalid UTF-8 they become)."""
    body = urlencode(fields, doseq=True, encoding="utf-8", errors="surrogatepass")
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")
