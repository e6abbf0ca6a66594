"""Property-based fuzzing of the whole API against its own OpenAPI schema, on a live server.

schemathesis generates requests from the drf-spectacular schema (valid ones and deliberately
invalid ones) for every operation. Two learners take part: each request is sent as one of them, and
path parameters are sometimes swapped for real ids (the caller's own attempt, the other learner's
attempt, a real quiz and question), so cross-user access is tried on every attempt endpoint.
Every response must be below 500 and conform to the schema: status code, content type, headers
and body. Examples are bounded and derandomized, so a run is repeatable and takes a minute or two.
"""

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from quizzes.services import Owner, start_attempt
from tests.factories import StaffFactory, UserFactory, quiz_with_questions

MAX_EXAMPLES_PER_OPERATION = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def world(live_server, settings):
    # Register and token are throttled per address; the fuzzer is one address sending many.
    cache.clear()
    quiz = quiz_with_questions(3, max_attempts=None, slug="fuzz-quiz")
    learners = {"alice": UserFactory(username="alice"), "bob": UserFactory(username="bob")}
    attempts = {
        name: start_attempt(quiz=quiz, owner=Owner(user_id=user.pk))[0] for name, user in learners.items()
    }
    tokens = {name: Token.objects.create(user=user).key for name, user in learners.items()}
    tokens["editor"] = Token.objects.create(user=StaffFactory(username="editor")).key
    yield {
        "base_url": live_server.url,
        "tokens": tokens,
        "attempt_ids": {name: str(attempt.pk) for name, attempt in attempts.items()},
        "quiz_slug": quiz.slug,
        "question_ids": list(attempts["alice"].question_order),
    }
    cache.clear()


def retarget(case, *, world, caller, target):
    """Point the case's path parameters at real objects: the caller's, the other learner's, or leave them."""
    parameters = case.path_parameters or {}
    if target == "generated":
        return None
    # Staff and anonymous callers have no attempt of their own: they always get a learner's.
    if target == "own" and caller in world["attempt_ids"]:
        owner = caller
    else:
        owner = "bob" if caller == "alice" else "alice"
    if "attempt_id" in parameters:
        parameters["attempt_id"] = world["attempt_ids"][owner]
    if "question_id" in parameters:
        parameters["question_id"] = world["question_ids"][0]
    if "slug" in parameters:
        parameters["slug"] = world["quiz_slug"]
    return owner


def fuzz_operation(operation, world, mode):
    failures = []

    @settings(
        max_examples=MAX_EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=mode),
        caller=st.sampled_from(["alice", "bob", "editor", "anonymous"]),
        target=st.sampled_from(["generated", "own", "foreign"]),
    )
    def run(case, caller, target):
        owner = retarget(case, world=world, caller=caller, target=target)
        headers = {} if caller == "anonymous" else {"Authorization": f"Token {world['tokens'][caller]}"}
        response = case.call(base_url=world["base_url"], headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup) as error:
            titles = [failure.title for failure in getattr(error, "exceptions", [error])]
            failures.append(
                f"{operation.label} as {caller} -> {response.status_code}: {'; '.join(titles)} "
                f"(e.g. {response.text[:120]})"
            )
            return
        if (
            "attempt_id" in (case.path_parameters or {})
            and owner is not None
            and owner != caller
            and caller != "anonymous"
        ):
            # Another learner's attempt (or, for staff, a learner's) is not there for the caller.
            if response.status_code not in {400, 404, 429}:
                failures.append(f"{operation.label} as {caller} reached {owner}'s attempt -> {response.status_code}")

    try:
        run()
    except Unsatisfiable:
        # Nothing in this operation can be made invalid (no parameters, no body): nothing to send.
        assert mode == schemathesis.GenerationMode.NEGATIVE
    return failures


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
def test_every_api_operation_answers_within_its_schema_and_never_with_5xx(world, mode):
    schema = schemathesis.openapi.from_url(f"{world['base_url']}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    failures = []
    for operation in operations:
        failures.extend(fuzz_operation(operation, world, mode))

    # One line per distinct problem, so a schema or view fix can be checked off one by one.
    problems = sorted(set(failures))
    assert not problems, "\n".join(problems)
