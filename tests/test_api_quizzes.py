"""The quiz catalogue and quiz detail: public, paginated, filterable, and silent about answers."""

import pytest

from quizzes.api.filters import QuizFilter
from quizzes.models import Quiz
from tests.factories import QuestionFactory, QuizFactory, TopicFactory, quiz_with_questions

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/quizzes/"


def test_catalogue_lists_published_quizzes_with_their_settings(api_client):
    topic = TopicFactory(slug="ruling", name_de="Urteil", name_en="Ruling")
    quiz = quiz_with_questions(3, slug="parler", title="Parler", max_attempts=2, time_limit_seconds=600)
    quiz.topics.add(topic)
    QuizFactory(is_published=False, slug="draft")

    response = api_client.get(LIST_URL)

    assert response.status_code == 200
    assert response.data["count"] == 1
    assert set(response.data) == {"count", "next", "previous", "results"}
    item = response.data["results"][0]
    assert item == {
        "slug": "parler",
        "title": "Parler",
        "description": quiz.description,
        "language": "de",
        "topics": [{"slug": "ruling", "name": "Urteil"}],
        "question_count": 3,
        "questions_per_attempt": None,
        "time_limit_seconds": 600,
        "max_attempts": 2,
        "pass_mark": 50,
    }


def test_catalogue_pages_are_capped_at_one_hundred(api_client):
    QuizFactory.create_batch(105)

    response = api_client.get(LIST_URL, {"page_size": 1000})

    assert response.status_code == 200
    assert len(response.data["results"]) == 100
    assert response.data["next"] is not None


def test_catalogue_filters_by_language_topic_and_search(api_client):
    ruling = TopicFactory(slug="ruling")
    german = QuizFactory(slug="urteil", title="Das Urteil", language="de")
    german.topics.add(ruling)
    english = QuizFactory(slug="ruling-en", title="The ruling", language="en", description="Judge Rothstein")
    english.topics.add(ruling, TopicFactory(slug="shutdown"))
    QuizFactory(slug="other", title="Anderes", language="de")

    def slugs(**params):
        response = api_client.get(LIST_URL, params)
        assert response.status_code == 200
        return sorted(item["slug"] for item in response.data["results"])

    assert slugs(language="en") == ["ruling-en"]
    assert slugs(topic="ruling") == ["ruling-en", "urteil"]
    assert slugs(topic="shutdown") == ["ruling-en"]
    assert slugs(search="rothstein") == ["ruling-en"]
    assert slugs(search="urteil", language="de") == ["urteil"]
    assert slugs(topic="nothing") == []


def test_catalogue_refuses_an_unknown_language(api_client):
    response = api_client.get(LIST_URL, {"language": "fr"})

    assert response.status_code == 400
    assert "language" in response.data


def test_quiz_detail_shows_questions_and_choices_without_correctness(api_client):
    quiz = QuizFactory(slug="parler", grading_method="last", answer_visibility="never")
    question = QuestionFactory(quiz=quiz, kind="multiple", choices__correct=2, choices__wrong=2, points="2.00")

    response = api_client.get(f"{LIST_URL}parler/")

    assert response.status_code == 200
    assert response.data["grading_method"] == "last"
    assert response.data["answer_visibility"] == "never"
    assert response.data["question_count"] == 1
    [shown] = response.data["questions"]
    assert shown["id"] == question.pk
    assert shown["kind"] == "multiple"
    assert shown["points"] == "2.00"
    assert [choice["text"] for choice in shown["choices"]] == ["Right 0", "Right 1", "Wrong 0", "Wrong 1"]
    assert all(set(choice) == {"id", "text"} for choice in shown["choices"])
    assert set(shown) == {"id", "kind", "text", "points", "choices"}


def test_unpublished_or_unknown_quiz_is_404(api_client):
    QuizFactory(slug="draft", is_published=False)

    assert api_client.get(f"{LIST_URL}draft/").status_code == 404
    response = api_client.get(f"{LIST_URL}nothing/")
    assert response.status_code == 404
    assert "detail" in response.data


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/quizzes/not%20a%20slug/"),
        ("put", "/api/v1/attempts/6b0f9a8e-1111-4222-8333-444455556666/answers/-1/"),
        ("get", "/api/v1/attempts/not-a-uuid/"),
        ("delete", "/api/v1/nothing-here/"),
    ],
)
def test_paths_that_match_no_endpoint_get_a_json_404(api_client, method, path):
    response = getattr(api_client, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_page_past_the_end_is_a_json_404(api_client):
    QuizFactory()

    response = api_client.get(LIST_URL, {"page": 99})

    assert response.status_code == 404
    assert "detail" in response.data


def test_a_list_url_without_its_slash_redirects_to_it(api_client):
    # Django's APPEND_SLASH: a catch-all 404 route under /api/ used to swallow these.
    response = api_client.get("/api/v1/quizzes")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/quizzes/"


def test_a_path_under_the_api_that_matches_nothing_is_a_json_404(api_client):
    response = api_client.get("/api/v1/attempts/not-a-uuid/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_the_quiz_filter_narrows_the_queryset_it_is_given_instead_of_building_its_own():
    wanted = quiz_with_questions(1, slug="wanted", language="en")
    quiz_with_questions(1, slug="other", language="en")

    filtered = QuizFilter({"language": "en"}, queryset=Quiz.objects.filter(pk=wanted.pk)).qs

    assert [quiz.slug for quiz in filtered] == ["wanted"]
