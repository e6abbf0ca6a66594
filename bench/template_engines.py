"""In-process time of the two heaviest learner pages, to compare ways of rendering them.

    .venv/bin/python bench/template_engines.py [--runs 300] [--save-html DIR]
    .venv/bin/python bench/template_engines.py --jinja2-pages   # the whole pages in Jinja2, for comparison

Builds a temporary SQLite database with the factories of tests/factories.py: an attempt page of
20 questions × 4 choices with half of them answered, and a progress page of a learner with 24 attempts
(20 on the page, one open) on five quizzes over four topics. Each page is requested through Django's
test Client with a signed-in session, DEBUG off, the database cache; after a warm-up the fastest, the
median and the 90th percentile of `--runs` requests are printed in milliseconds of CPU time of this
process (time.process_time): on a machine shared with other work, wall-clock time mostly measures the
wait for a core. Compare numbers from the same run or hour.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure_environment(database_path):
    # The production settings read their environment; this script is a process of its own, like gunicorn.
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "quizsite.settings",
            "DATABASE_URL": f"sqlite:///{database_path}",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)


def build_pages():
    """A signed-in client, the attempt page's and the progress page's URLs, and the learner's owner key."""
    from django.test import Client
    from django.urls import reverse

    from quizzes import services
    from quizzes.models import QuestionKind
    from tests.factories import QuestionFactory, QuizFactory, TopicFactory, UserFactory

    user = UserFactory()
    owner = services.Owner.of(user=user)
    topics = [TopicFactory() for _ in range(4)]

    attempt_quiz = QuizFactory(title="The attempt page's quiz", max_attempts=None)
    for position in range(1, 21):
        is_multiple = position % 3 == 0
        QuestionFactory(
            quiz=attempt_quiz,
            position=position,
            kind=QuestionKind.MULTIPLE if is_multiple else QuestionKind.SINGLE,
            choices__correct=2 if is_multiple else 1,
            choices__wrong=2 if is_multiple else 3,
            points=Decimal("2") if is_multiple else Decimal("1"),
            topic=topics[position % 4],
        )

    history_quizzes = []
    for index in range(5):
        quiz = QuizFactory(title=f"Quiz {index} about <Parler> & AWS", max_attempts=None)
        for position in range(1, 6):
            QuestionFactory(quiz=quiz, position=position, topic=topics[(index + position) % 4])
        history_quizzes.append(quiz)
    for number in range(23):
        attempt, _created = services.start_attempt(quiz=history_quizzes[number % 5], owner=owner)
        answers = [
            services.AnswerInput(question_id=int(question_id), choice_ids=(choice_ids[number % len(choice_ids)],))
            for question_id, choice_ids in attempt.choice_order.items()
        ]
        services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers)

    # Started last, so it is the open attempt at the top of the progress page too.
    open_attempt, _created = services.start_attempt(quiz=attempt_quiz, owner=owner)
    for index, (question_id, choice_ids) in enumerate(open_attempt.choice_order.items()):
        if index % 2 == 0:
            services.save_answer(
                attempt_id=open_attempt.pk, owner=owner, question_id=int(question_id), choice_ids=[choice_ids[1]]
            )

    client = Client()
    client.force_login(user)
    return client, {
        "attempt page": reverse("web:attempt", kwargs={"attempt_id": open_attempt.pk}),
        "progress page": reverse("web:progress"),
    }, owner.key


def jinja2_environment(**options):
    """The site's Jinja2 environment plus what the page shells in bench/jinja2_pages/ call."""
    from django.conf import settings
    from django.utils import translation

    from quizzes.templatetags import quiz_pages
    from quizzes.web import jinja2_environment as site
    from quizzes.web.chart import progress_chart

    environment = site.environment(**options)
    environment.globals.update(
        current_language=translation.get_language,
        interface_languages=lambda: [translation.get_language_info(code) for code, _name in settings.LANGUAGES],
        progress_chart=progress_chart,
        chart_summary=lambda attempts: quiz_pages.progress_chart(attempts)["summary"],
    )
    environment.filters.update(clock=quiz_pages.clock)
    return environment


def use_jinja2_pages():
    """Put a Jinja2 engine with bench/jinja2_pages/ before Django's, so the whole pages come from Jinja2."""
    from django.conf import settings
    from django.test.utils import override_settings

    jinja2_engine = {
        "NAME": "jinja2_pages",  # beside the site's own "jinja2" engine, which the pages' loops use
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [str(ROOT / "bench" / "jinja2_pages")],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "bench.template_engines.jinja2_environment",
            "extensions": ["jinja2.ext.i18n"],
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
    override_settings(TEMPLATES=[jinja2_engine, *settings.TEMPLATES]).enable()


def measure(client, path, *, runs, owner_key):
    """Fastest, median and 90th percentile in ms of `runs` GETs of `path`, after a warm-up.

    The learner's cached reads (the progress page's own part) are made stale before each GET,
    outside the timing, so every run renders the whole page.
    """
    from quizzes import caching

    for _ in range(20):
        assert client.get(path).status_code == 200
    timings = []
    for _ in range(runs):
        caching.learner_changed(owner_key)
        started = time.process_time()
        client.get(path)
        timings.append((time.process_time() - started) * 1000)
    timings.sort()
    return timings[0], statistics.median(timings), timings[int(len(timings) * 0.9)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument(
        "--jinja2-pages", action="store_true", help="render whole pages in Jinja2 (bench/jinja2_pages/)"
    )
    parser.add_argument("--save-html", type=Path, help="write each page's HTML there, to compare engines")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        configure_environment(Path(directory) / "bench.sqlite3")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)  # the manifest that DEBUG off needs
        if arguments.jinja2_pages:
            use_jinja2_pages()
        client, pages, owner_key = build_pages()
        for name, path in pages.items():
            fastest, median, p90 = measure(client, path, runs=arguments.runs, owner_key=owner_key)
            print(
                f"{name:14} fastest {fastest:6.2f} ms   median {median:6.2f} ms   p90 {p90:6.2f} ms"
                f"   ({arguments.runs} requests)"
            )
            if arguments.save_html:
                arguments.save_html.mkdir(parents=True, exist_ok=True)
                html = client.get(path).content.decode()
                (arguments.save_html / f"{name.replace(' ', '-')}.html").write_text(html)


if __name__ == "__main__":
    main()
