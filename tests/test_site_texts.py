"""The site's own texts (issue 18): name, home page headline and introduction, and footer come from the
database, editable by editors in both languages, with the shipped Parler texts as defaults."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes.models import SiteText
from tests.admin_pages import errors_of, form_data_of
from tests.factories import EditorFactory, UserFactory, quiz_with_questions, shipped_site_texts

pytestmark = pytest.mark.django_db

OTHER_STORY = {
    "de": {
        "site_name": "Klimaquiz",
        "headline": "Quizze zur Klimakonferenz",
        "introduction": "Was in Dubai beschlossen wurde.",
        "footer": "Jede Antwort ist mit einem Zitat belegt.",
    },
    "en": {
        "site_name": "Climate quiz",
        "headline": "Quizzes about the climate summit",
        "introduction": "What was agreed in Dubai.",
        "footer": "Every answer is backed by a quote.",
    },
}


def page(path, language, client=None):
    return (client or Client()).get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.fixture
def editor_client():
    client = Client(headers={"accept-language": "en"})
    client.force_login(EditorFactory())
    return client


def test_the_shipped_texts_load_with_the_content_and_head_the_home_page_in_both_languages():
    call_command("load_content", "fixtures/02-site.yaml")

    german, english = page("/", "de"), page("/", "en")

    assert "<h1>Quizze zur Abschaltung von Parler</h1>" in german and "Parler-Quiz</title>" in german
    assert "<h1>Quizzes about the Parler shutdown</h1>" in english and "Parler quiz</title>" in english
    assert "deutschen Nachrichtenartikel" in german and "German news article" in english


def test_an_editor_changes_the_texts_in_the_admin_and_the_home_page_shows_them_in_both_languages(editor_client):
    shipped_site_texts()
    quiz_with_questions(1, title="COP28")
    for language in ("de", "en"):
        assert "Parler" in page("/", language)  # cached now, under the current content version

    for site_text in SiteText.objects.all():
        url = reverse("admin:quizzes_sitetext_change", args=[site_text.pk])
        response = editor_client.post(url, form_data_of(editor_client.get(url)) | OTHER_STORY[site_text.language])
        assert response.status_code == 302, errors_of(response)

    for language, texts in OTHER_STORY.items():
        home = page("/", language)
        assert f"<h1>{texts['headline']}</h1>" in home
        assert texts["introduction"] in home and texts["footer"] in home
        assert f"{texts['site_name']}</title>" in home and f'class="brand" href="/">{texts["site_name"]}</a>' in home


def test_a_site_about_another_story_shows_no_parler_in_its_chrome():
    for language, texts in OTHER_STORY.items():
        SiteText.objects.create(language=language, **texts)
    quiz = quiz_with_questions(1, title="COP28")
    learner = Client()
    learner.force_login(UserFactory())

    paths = ["/", reverse("web:quiz", kwargs={"slug": quiz.slug}), reverse("login"), reverse("signup")]
    paths += [reverse("password_reset"), reverse("password_reset_done")]
    for language, texts in OTHER_STORY.items():
        for path in paths:
            shown = page(path, language)
            assert "Parler" not in shown, (path, language)
            assert f'class="brand" href="/">{texts["site_name"]}</a>' in shown, (path, language)
            assert texts["footer"] in shown, (path, language)
        assert "Parler" not in page(reverse("web:progress"), language, learner)


def test_a_language_without_texts_falls_back_to_the_neutral_name():
    SiteText.objects.create(language="en", **OTHER_STORY["en"])

    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200
    german = response.content.decode()
    assert "quizsite</title>" in german and "<h1>Quizze</h1>" in german and "site-footer" not in german
    assert "Climate quiz" in page("/", "en")


def test_an_editor_may_change_the_texts_but_not_add_or_delete_a_language(editor_client):
    site_text = shipped_site_texts()[0]

    assert editor_client.get(reverse("admin:quizzes_sitetext_change", args=[site_text.pk])).status_code == 200
    assert editor_client.get(reverse("admin:quizzes_sitetext_add")).status_code == 403
    assert editor_client.get(reverse("admin:quizzes_sitetext_delete", args=[site_text.pk])).status_code == 403


def test_pages_read_the_texts_from_the_shared_cache_not_the_database(client):
    shipped_site_texts()
    quiz = quiz_with_questions(1)
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("web:quiz", kwargs={"slug": quiz.slug}))

    assert not [query for query in queries.captured_queries if "quizzes_sitetext" in query["sql"]]


def test_a_flushed_cache_reads_the_texts_once_and_then_from_the_cache(client):
    shipped_site_texts()
    cache.clear()

    with CaptureQueriesContext(connection) as first:
        assert "Parler-Quiz" in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("login"))

    assert len([query for query in first.captured_queries if "quizzes_sitetext" in query["sql"]]) == 1
    assert not [query for query in second.captured_queries if "quizzes_sitetext" in query["sql"]]


def test_a_save_that_rolls_back_never_reaches_the_cached_pages(client, settings):
    # A cache outside the database (as Redis is), which a rollback does not undo.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    shipped_site_texts()
    client.get("/")

    with pytest.raises(RuntimeError), transaction.atomic():
        site_text = SiteText.objects.get(language="de")
        site_text.headline = "Never saved"
        site_text.save()
        raise RuntimeError

    assert "<h1>Quizze zur Abschaltung von Parler</h1>" in client.get("/").content.decode()
    cache.clear()
