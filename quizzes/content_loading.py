"""Loading the shipped content (fixtures/) without reverting what editors changed.

The fixtures are the content a fresh site starts with; once a quiz is in the database, editors own
it in the admin. So the unit of loading is a quiz with its questions, choices, citations and feedback
bands (and each source, each topic and each language's site texts on its own): a unit whose slug the database already has is left alone,
and only units it lacks are loaded. Overwriting editors' work with the shipped version is a
separate, explicit choice (`load_content --overwrite`), which loads every fixture as `loaddata`
does: shipped rows are updated in place by their natural keys, except that a question attempts showed
whose shipped text, choices or citations differ gets a new version first (services/versions.py), which the
fixture then updates, so those attempts keep what they showed.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from . import caching
from .models import Question, Quiz, SiteText, Source, Topic
from .models.questions import VERSIONED_FIELDS
from .selectors.versions import attempts_per_question
from .services.versions import new_version, share_fields

FIXTURES_DIRECTORY = Path(settings.BASE_DIR) / "fixtures"
MODELS_BY_KIND = {"source": Source, "topic": Topic, "quiz": Quiz, "sitetext": SiteText}
# The field that names a unit of each kind: a slug, or the language of the site's texts.
KEY_FIELDS = {"sitetext": "language"}


@dataclass(frozen=True, order=True)
class ContentUnit:
    """A source, a topic, a quiz with everything in it (feedback bands too), named by its slug, or the
    site's texts in one language, named by the language."""

    kind: str
    slug: str

    def __str__(self):
        return f"{self.kind} {self.slug}"


@dataclass(frozen=True)
class ContentPlan:
    """Which shipped units the database lacks and which it already holds (maybe edited since)."""

    missing: tuple
    present: tuple


def shipped_fixture_files():
    """The fixture files in load order (file names sort in load order)."""
    return sorted(FIXTURES_DIRECTORY.glob("*.yaml"))


def _unit_of(entry):
    model, fields = entry["model"], entry["fields"]
    kind = model.removeprefix("quizzes.")
    if kind in MODELS_BY_KIND:
        return ContentUnit(kind, fields[KEY_FIELDS.get(kind, "slug")])
    if kind in ("question", "feedbackband"):
        return ContentUnit("quiz", fields["quiz"][0])
    if kind in ("choice", "citation"):
        # Natural key of the question: (quiz slug, question key).
        return ContentUnit("quiz", fields["question"][0])
    raise ValueError(f"A fixture holds {model}, which is not shipped content.")


def _read_fixtures(paths):
    return [(path, yaml.safe_load(path.read_text(encoding="utf-8")) or []) for path in paths]


def _units_in_database(units):
    present = set()
    for kind, model in MODELS_BY_KIND.items():
        slugs = [unit.slug for unit in units if unit.kind == kind]
        key_field = KEY_FIELDS.get(kind, "slug")
        found = model.objects.filter(**{f"{key_field}__in": slugs}).values_list(key_field, flat=True)
        present.update(ContentUnit(kind, slug) for slug in found)
    return present


def plan_content_load(paths):
    """What loading these fixture files would add, and which units already in the database it would touch."""
    units = {_unit_of(entry) for _path, entries in _read_fixtures(paths) for entry in entries}
    present = _units_in_database(units)
    return ContentPlan(missing=tuple(sorted(units - present)), present=tuple(sorted(present)))


def load_missing_content(paths):
    """Load only the units the database lacks; returns the plan it followed."""
    fixtures = _read_fixtures(paths)
    with transaction.atomic():
        plan = plan_content_load(paths)
        missing = set(plan.missing)
        with tempfile.TemporaryDirectory(prefix="quizsite-content-") as directory:
            selected = []
            for path, entries in fixtures:
                kept = [entry for entry in entries if _unit_of(entry) in missing]
                if kept:
                    # Same file name, so loaddata reads YAML and the load order stays the shipped one.
                    target = Path(directory) / path.name
                    target.write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), encoding="utf-8")
                    selected.append(str(target))
            if selected:
                with caching.one_content_change():
                    call_command("loaddata", *selected, verbosity=0)
    return plan


def overwrite_content(paths):
    """Load every fixture, replacing the fields of shipped rows that editors changed; returns the plan."""
    with transaction.atomic():
        plan = plan_content_load(paths)
        with caching.one_content_change():
            for question in _shown_questions_the_fixtures_change(_read_fixtures(paths)):
                new_version(question)
            call_command("loaddata", *map(str, paths), verbosity=0)
            # A fixture updates the current version; points, position, topic ... are one value for all.
            for question in Question.objects.current().filter(first_version__isnull=False, quiz__slug__in=_quiz_slugs(plan)):
                share_fields(question)
    return plan


def _quiz_slugs(plan):
    return [unit.slug for unit in plan.missing + plan.present if unit.kind == "quiz"]


# What a version holds, as a fixture spells it: the question's versioned fields, its choices and its citations.
CHOICE_FIELDS = ("position", "text", "is_correct", "feedback")
CITATION_FIELDS = ("position", "source", "quote", "translation", "note")


def _shown_questions_the_fixtures_change(fixtures):
    shipped = {}
    for _path, entries in fixtures:
        for entry in entries:
            kind, fields = entry["model"].removeprefix("quizzes."), entry["fields"]
            if kind == "question":
                shipped.setdefault((fields["quiz"][0], fields["key"]), [None, [], []])[0] = tuple(
                    fields.get(name, "") for name in VERSIONED_FIELDS
                )
            elif kind in ("choice", "citation"):
                names = CHOICE_FIELDS if kind == "choice" else CITATION_FIELDS
                row = tuple(fields.get(name, "") for name in names)
                shipped.setdefault(tuple(fields["question"]), [None, [], []])[1 if kind == "choice" else 2].append(row)
    saved = (
        Question.objects.current()
        .filter(quiz__slug__in={quiz for quiz, _key in shipped})
        .select_related("quiz")
        .prefetch_related("choices", "citations__source")
    )
    shown_by_quiz = {}
    for question in saved:
        wanted = shipped.get((question.quiz.slug, question.key))
        if wanted is None or _as_shipped(question) == (wanted[0], sorted(wanted[1]), sorted(wanted[2])):
            continue
        if question.quiz_id not in shown_by_quiz:
            shown_by_quiz[question.quiz_id] = attempts_per_question(question.quiz_id)
        if shown_by_quiz[question.quiz_id].get(question.pk):
            yield question


def _as_shipped(question):
    choices = [tuple(getattr(choice, name) for name in CHOICE_FIELDS) for choice in question.choices.all()]
    citations = [
        tuple([citation.source.slug] if name == "source" else getattr(citation, name) for name in CITATION_FIELDS)
        for citation in question.citations.all()
    ]
    return tuple(getattr(question, name) for name in VERSIONED_FIELDS), sorted(choices), sorted(citations)
