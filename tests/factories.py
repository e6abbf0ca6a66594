"""Factories with minimal defaults; tests say what matters to them."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.utils import timezone

from quizzes import services
from quizzes.models import (
    Choice,
    Citation,
    FeedbackBand,
    MemoryState,
    Question,
    QuestionKind,
    Quiz,
    SiteText,
    Source,
    Topic,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class EditorFactory(UserFactory):
    """Staff in the "Editors" group (made by a migration), deliberately not a superuser."""

    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True

    @factory.post_generation
    def join_editors(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name="Editors"))


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    publisher = "Reuters"
    language = "de"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_de = factory.Sequence(lambda n: f"Thema {n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    slug = factory.Sequence(lambda n: f"quiz-{n}")
    translation_key = factory.LazyAttribute(lambda quiz: quiz.slug)
    title = factory.Sequence(lambda n: f"Quiz {n}")
    description = "What you will know afterwards."
    language = "de"
    is_published = True
    shuffle_questions = False
    shuffle_choices = False


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question with choices and a citation; `choices__correct=2, choices__wrong=3` set the counts."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    quiz = factory.SubFactory(QuizFactory)
    key = factory.Sequence(lambda n: f"q{n}")
    position = factory.Sequence(lambda n: n)
    kind = QuestionKind.SINGLE
    text = factory.Sequence(lambda n: f"Question {n}?")
    explanation = "Because the source says so."
    points = Decimal("1")
    topic = factory.SubFactory(TopicFactory)

    @factory.post_generation
    def choices(question, create, extracted, correct=1, wrong=2, **kwargs):
        if not create or extracted is False:
            return
        if question.kind == QuestionKind.TRUE_FALSE:
            labels = [("True", True), ("False", False)]
        else:
            labels = [(f"Right {i}", True) for i in range(correct)] + [(f"Wrong {i}", False) for i in range(wrong)]
        for position, (text, is_correct) in enumerate(labels, start=1):
            Choice.objects.create(
                question=question, position=position, text=text, is_correct=is_correct, feedback=f"About {text}"
            )

    @factory.post_generation
    def citation(question, create, extracted, **kwargs):
        """One citation; `citation__translation="..."` and `citation__note="..."` fill those fields."""
        if create and extracted is not False:
            CitationFactory(question=question, position=1, **kwargs)


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    question = factory.SubFactory(QuestionFactory, citation=False)
    position = factory.Sequence(lambda n: n + 1)
    source = factory.SubFactory(SourceFactory)
    quote = "A verbatim quote."


def quiz_with_questions(count, **quiz_fields):
    """A published quiz with `count` single-choice questions of three choices each."""
    quiz = QuizFactory(**quiz_fields)
    for position in range(1, count + 1):
        QuestionFactory(quiz=quiz, position=position)
    return quiz


def submitted_attempt_answered_right(quiz, user):
    """A user's attempt at `quiz`, every question answered right, submitted through the services."""
    owner = services.Owner.of(user=user)
    attempt, _created = services.start_attempt(quiz=quiz, owner=owner)
    answers = [
        services.AnswerInput(question_id=question.pk, choice_ids=(question.choices.get(is_correct=True).pk,))
        for question in quiz.questions.all()
    ]
    return services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers)


def update_behind_the_caches_back(model, filters=None, **fields):
    """Change rows as no part of the product does: a plain queryset, which tells the cache nothing.

    The product's own bulk writes go through ContentQuerySet and make cached reads stale; tests that
    prove a read came from the cache change the rows this way and expect the old value.
    """
    return QuerySet(model=model).filter(**(filters or {})).update(**fields)


class FeedbackBandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackBand

    quiz = factory.SubFactory(QuizFactory)
    from_percent = Decimal("0")
    text = factory.LazyAttribute(lambda band: f"Feedback from {band.from_percent} percent")


def feedback_bands(quiz, *bounds):
    """Bands from each bound in `bounds`, with texts naming their bound ("From 50")."""
    return [FeedbackBandFactory(quiz=quiz, from_percent=Decimal(bound), text=f"From {bound}") for bound in bounds]


class SiteTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteText
        django_get_or_create = ("language",)

    language = "de"
    site_name = factory.LazyAttribute(lambda texts: f"Site {texts.language}")
    headline = factory.LazyAttribute(lambda texts: f"Headline {texts.language}")
    introduction = factory.LazyAttribute(lambda texts: f"Introduction {texts.language}")
    footer = factory.LazyAttribute(lambda texts: f"Footer {texts.language}")


def shipped_site_texts():
    """The site's texts as fixtures/02-site.yaml ships them: the Parler headline in German and English."""
    return [
        SiteTextFactory(language="de", site_name="Parler-Quiz", headline="Quizze zur Abschaltung von Parler"),
        SiteTextFactory(language="en", site_name="Parler quiz", headline="Quizzes about the Parler shutdown"),
    ]
class MemoryStateFactory(factory.django.DjangoModelFactory):
    """A learner's memory of a question, due at once unless `due` says otherwise."""

    class Meta:
        model = MemoryState

    user = factory.SubFactory(UserFactory)
    owner = factory.LazyAttribute(lambda state: f"user:{state.user.pk}")
    question = factory.SubFactory(QuestionFactory)
    quiz = factory.LazyAttribute(lambda state: state.question.quiz)
    key = factory.LazyAttribute(
        lambda state: MemoryState.key_of(lineage_id=state.question.lineage_id, translation_key=state.question.translation_key)
    )
    state = 2
    stability = 3.0
    difficulty = 5.0
    due = factory.LazyFunction(timezone.now)
    last_review = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))


def translated_quizzes(count, **quiz_fields):
    """A German quiz and its English version, `count` questions each, paired by translation key."""
    german = QuizFactory(language="de", **quiz_fields)
    english = QuizFactory(language="en", translation_key=german.translation_key, **quiz_fields)
    for position in range(1, count + 1):
        topic = TopicFactory()
        for quiz in (german, english):
            QuestionFactory(
                quiz=quiz, position=position, topic=topic, translation_key=f"{german.slug}-{position}",
                text=f"{'Frage' if quiz is german else 'Question'} {position}?",
            )
    return german, english
