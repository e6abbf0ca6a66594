"""The authoring and account services, called directly: publish, unpublish, duplicate, register.

The admin's actions, the API and the sign-up page are thin callers of these; their own tests
(test_admin_publishing.py, test_api_accounts.py, test_web_accounts.py) check the messages built from the outcomes.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from quizzes import caching, services
from quizzes.models import Choice, Citation, Question, QuestionKind, Quiz
from tests.factories import PASSWORD, QuestionFactory, QuizFactory, TopicFactory, UserFactory, quiz_with_questions
from tests.test_concurrency import run_in_parallel

LIST_URL = "/api/v1/quizzes/"
PARALLEL = 6


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def catalogue_titles(client):
    return [quiz["title"] for quiz in client.get(LIST_URL).json()["results"]]


def is_published(quiz):
    return Quiz.objects.get(pk=quiz.pk).is_published


# ---------------------------------------------------------------------------------------------
# Publishing


@pytest.mark.django_db
def test_publishing_refuses_a_quiz_with_an_uncited_question_and_says_why():
    quiz = QuizFactory(is_published=False, title="Uncited")
    QuestionFactory(quiz=quiz, text="Who sued whom?", citation=False)

    with translation.override("en"):
        outcome = services.publish_quizzes(quiz_ids=[quiz.pk])

    assert outcome.published_ids == ()
    assert outcome.refused == (
        services.RefusedQuiz(
            quiz_id=quiz.pk,
            title="Uncited",
            problems=(
                "Question “Who sued whom?”: A question needs at least one citation from a source before its quiz "
                "can be published.",
            ),
        ),
    )
    assert not is_published(quiz)


@pytest.mark.django_db
def test_publishing_refuses_a_quiz_without_questions_in_the_callers_language():
    quiz = QuizFactory(is_published=False)

    with translation.override("de"):
        outcome = services.publish_quizzes(quiz_ids=[quiz.pk])

    assert outcome.refused[0].problems == (
        "Ein Quiz braucht mindestens eine Frage, bevor es veröffentlicht werden kann.",
    )
    assert not is_published(quiz)


@pytest.mark.django_db
def test_publishing_publishes_the_valid_quizzes_and_leaves_published_ones_out_of_the_outcome():
    valid = quiz_with_questions(1, is_published=False)
    empty = QuizFactory(is_published=False)
    already = quiz_with_questions(1, is_published=True)

    outcome = services.publish_quizzes(quiz_ids=[valid.pk, empty.pk, already.pk])

    assert outcome.published_ids == (valid.pk,)
    assert [refused.quiz_id for refused in outcome.refused] == [empty.pk]
    assert (is_published(valid), is_published(empty), is_published(already)) == (True, False, True)


@pytest.mark.django_db
def test_publishing_shows_the_quiz_in_a_catalogue_cached_before():
    quiz = quiz_with_questions(1, title="Fresh", is_published=False)
    learner = APIClient()
    assert "Fresh" not in catalogue_titles(learner)
    version_before = caching.content_version()

    services.publish_quizzes(quiz_ids=[quiz.pk])

    assert caching.content_version() != version_before
    assert "Fresh" in catalogue_titles(learner)


@pytest.mark.django_db
def test_unpublishing_takes_the_quiz_out_of_a_cached_catalogue_and_names_only_the_changed_ones():
    published = quiz_with_questions(1, title="Withdrawn")
    draft = QuizFactory(is_published=False)
    learner = APIClient()
    assert "Withdrawn" in catalogue_titles(learner)

    unpublished_ids = services.unpublish_quizzes(quiz_ids=[published.pk, draft.pk])

    assert unpublished_ids == (published.pk,)
    assert not is_published(published)
    assert "Withdrawn" not in catalogue_titles(learner)


# ---------------------------------------------------------------------------------------------
# Duplicating


def question_content(quiz):
    return [
        (
            question.key,
            question.kind,
            question.text,
            list(question.choices.values_list("position", "text", "is_correct", "feedback")),
            list(question.citations.values_list("position", "source", "quote")),
        )
        for question in quiz.questions.order_by("position", "id")
    ]


@pytest.mark.django_db
def test_duplicating_copies_questions_choices_citations_and_topics_into_an_unpublished_quiz():
    quiz = quiz_with_questions(1, slug="original", title="Original", language="en")
    QuestionFactory(quiz=quiz, kind=QuestionKind.MULTIPLE, choices__correct=2, choices__wrong=1)
    quiz.topics.add(TopicFactory())
    Question.objects.filter(quiz=quiz).update(translation_key="shared-key")
    rows_before = (Question.objects.count(), Choice.objects.count(), Citation.objects.count())

    copy = services.duplicate_quiz(quiz=quiz)

    assert (copy.slug, copy.translation_key, copy.title, copy.is_published) == (
        "original-copy",
        "original-copy",
        "Original (copy)",
        False,
    )
    assert set(copy.topics.all()) == set(quiz.topics.all())
    assert question_content(copy) == question_content(quiz)
    assert set(copy.questions.values_list("translation_key", flat=True)) == {""}
    assert set(quiz.questions.values_list("translation_key", flat=True)) == {"shared-key"}
    assert (Question.objects.count(), Choice.objects.count(), Citation.objects.count()) == tuple(
        2 * count for count in rows_before
    )


@pytest.mark.django_db
def test_duplicating_twice_numbers_the_second_copy():
    quiz = quiz_with_questions(1, slug="original")

    services.duplicate_quiz(quiz=quiz)
    second = services.duplicate_quiz(quiz=quiz)

    assert (second.slug, second.translation_key) == ("original-copy-2", "original-copy-2")


# ---------------------------------------------------------------------------------------------
# Registering


@pytest.mark.django_db
def test_registering_creates_an_account_that_signs_in_with_its_password():
    user = services.register_learner(username="ada", password=PASSWORD)

    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert Client().login(username="ada", password=PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("taken", ["ada", "ADA", "Ada"])
def test_registering_refuses_a_taken_name_in_any_letter_case(taken):
    UserFactory(username="ada")

    with pytest.raises(services.UsernameTaken):
        services.register_learner(username=taken, password=PASSWORD)

    assert get_user_model().objects.count() == 1


# Several rounds make the race likely: without it the test passes whatever the code does.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_number", range(3))
def test_parallel_api_registrations_of_one_name_make_one_account_and_answer_400_never_500(round_number):
    # Regression: each request passed the serializer's check before any had inserted, and the
    # losers' inserts failed on the unique username with an IntegrityError, a 500.
    def register():
        return APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
            "/api/v1/auth/register/", {"username": "ada", "password": PASSWORD}, format="json"
        )

    outcomes = run_in_parallel([register] * PARALLEL)

    assert [error for _, error in outcomes if error is not None] == []
    statuses = sorted(response.status_code for response, _ in outcomes)
    assert statuses == [201] + [400] * (PARALLEL - 1)
    refused = [response.json() for response, _ in outcomes if response.status_code == 400]
    assert all(body == {"username": ["This username is taken."]} for body in refused)
    assert get_user_model().objects.filter(username="ada").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_number", range(3))
def test_parallel_sign_ups_of_one_name_make_one_account_and_show_the_form_again(round_number):
    # Regression: the form's check passed for every request before any had inserted, and form.save()
    # failed for the losers with an IntegrityError, a 500.
    def sign_up():
        return Client(headers={"accept-language": "en"}).post(
            reverse("signup"), {"username": "ada", "password1": PASSWORD, "password2": PASSWORD}
        )

    outcomes = run_in_parallel([sign_up] * PARALLEL)

    assert [error for _, error in outcomes if error is not None] == []
    statuses = sorted(response.status_code for response, _ in outcomes)
    assert statuses == [302] + [400] * (PARALLEL - 1)
    for response, _ in outcomes:
        if response.status_code == 400:
            assert response.context["form"].errors["username"]
    assert get_user_model().objects.filter(username="ada").count() == 1
