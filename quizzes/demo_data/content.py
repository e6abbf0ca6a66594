"""Demo content: topics, sources, quizzes in German and English pairs, questions with choices and a citation."""

from decimal import Decimal

from django.db import transaction

from .. import scoring
from ..models import (
    AnswerVisibility,
    Choice,
    Citation,
    Difficulty,
    GradingMethod,
    Language,
    Question,
    QuestionKind,
    Quiz,
    Source,
    Topic,
)
from .writing import IdAllocator, batched

TOPIC_NAMES = [
    ("moderation", "Moderation von Inhalten", "Content moderation"),
    ("hosting", "Hosting und Cloud", "Hosting and cloud"),
    ("app-stores", "App-Stores", "App stores"),
    ("lawsuit", "Die Klage", "The lawsuit"),
    ("capitol", "Der Sturm auf das Kapitol", "The storm on the Capitol"),
    ("free-speech", "Meinungsfreiheit", "Free speech"),
]
# Share of each question kind in the generated quizzes, like a hand-written quiz would have.
KIND_WEIGHTS = [(QuestionKind.SINGLE, 60), (QuestionKind.MULTIPLE, 25), (QuestionKind.TRUE_FALSE, 15)]


def create_topics_and_sources(run):
    topics = [
        Topic.objects.get_or_create(
            slug=f"{run.prefix}-{slug}", defaults={"name_de": name_de, "name_en": name_en}
        )[0]
        for slug, name_de, name_en in TOPIC_NAMES
    ]
    sources = [
        Source.objects.get_or_create(
            slug=f"{run.prefix}-source-{language}",
            defaults={
                "title": f"Demo article ({language})",
                "publisher": "Demo Press",
                "language": language,
            },
        )[0]
        for language in (Language.GERMAN, Language.ENGLISH)
    ]
    return topics, sources


def create_quizzes(run, count, *, topics):
    next_id = IdAllocator(Quiz)
    quizzes = []
    for index in range(count):
        # Pairs of quizzes are the German and English version of one quiz, like the fixtures.
        language = Language.GERMAN if index % 2 == 0 else Language.ENGLISH
        pair = index // 2
        quizzes.append(
            Quiz(
                id=next_id(),
                slug=f"{run.prefix}-{pair}-{language}",
                translation_key=f"{run.prefix}-{pair}",
                title=f"Quiz {pair + 1}: " + run.rng.choice(TOPIC_NAMES)[1 if language == Language.GERMAN else 2],
                description="Was du danach weißt." if language == Language.GERMAN else "What you will know.",
                language=language,
                is_published=run.rng.random() < 0.95,
                shuffle_questions=run.rng.random() < 0.5,
                shuffle_choices=run.rng.random() < 0.5,
                time_limit_seconds=run.rng.choice([None, None, 600, 1200]),
                max_attempts=run.rng.choice([None, None, None, 3]),
                pass_mark=run.rng.choice([50, 60, 70]),
                grading_method=run.rng.choice(GradingMethod.values),
                answer_visibility=run.rng.choice(
                    [AnswerVisibility.AFTER_SUBMISSION] * 3 + [AnswerVisibility.AFTER_LAST_ATTEMPT]
                ),
            )
        )
    through = Quiz.topics.through
    links = [
        through(quiz_id=quiz.id, topic_id=topic.id)
        for quiz in quizzes
        for topic in run.rng.sample(topics, 2)
    ]
    bar = run.progress("quizzes", len(quizzes))
    for batch in batched(quizzes, run.batch_size):
        with transaction.atomic():
            Quiz.objects.bulk_create(batch)
        bar.advance(len(batch))
    with transaction.atomic():
        through.objects.bulk_create(links, batch_size=run.batch_size)
    bar.finish()
    return quizzes


def create_questions(run, quizzes, *, per_quiz, choices, topics, sources):
    """Create questions with choices and a citation; returns each quiz's scoring keys by question id."""
    next_question_id = IdAllocator(Question)
    kinds = [kind for kind, _weight in KIND_WEIGHTS]
    weights = [weight for _kind, weight in KIND_WEIGHTS]
    keys_by_quiz = {}
    bar = run.progress("questions", len(quizzes) * per_quiz)
    for quiz_batch in batched(quizzes, max(1, run.batch_size // per_quiz)):
        questions, choice_rows, citations = [], [], []
        for quiz in quiz_batch:
            keys = keys_by_quiz[quiz.id] = {}
            source = sources[0] if quiz.language == Language.GERMAN else sources[1]
            for position in range(1, per_quiz + 1):
                kind = run.rng.choices(kinds, weights)[0]
                question = Question(
                    id=next_question_id(),
                    quiz_id=quiz.id,
                    key=f"q{position}",
                    position=position,
                    kind=kind,
                    text=f"Frage {position} zu {quiz.title}?",
                    explanation="Weil die Quelle es so sagt.",
                    points=Decimal("2") if run.rng.random() < 0.2 else Decimal("1"),
                    topic_id=run.rng.choice(topics).id,
                    difficulty=run.rng.choice(Difficulty.values),
                )
                questions.append(question)
                new_choices = choices_for(run, question, count=choices)
                choice_rows.extend(new_choices)
                citations.append(
                    Citation(question_id=question.id, position=1, source_id=source.id, quote="Ein wörtliches Zitat.")
                )
                keys[question.id] = scoring.QuestionKey(
                    kind=kind,
                    points=question.points,
                    choice_ids=frozenset(choice.id for choice in new_choices),
                    correct_ids=frozenset(choice.id for choice in new_choices if choice.is_correct),
                )
        with transaction.atomic():
            Question.objects.bulk_create(questions)
            Choice.objects.bulk_create(choice_rows)
            Citation.objects.bulk_create(citations)
        bar.advance(len(questions))
    bar.finish()
    return keys_by_quiz


def choices_for(run, question, *, count):
    if question.kind == QuestionKind.TRUE_FALSE:
        statement_is_true = run.rng.random() < 0.5
        labels = [("Wahr", statement_is_true), ("Falsch", not statement_is_true)]
    else:
        correct_count = 2 if question.kind == QuestionKind.MULTIPLE and count >= 3 else 1
        correct_positions = set(run.rng.sample(range(count), correct_count))
        labels = [(f"Antwort {position + 1}", position in correct_positions) for position in range(count)]
    return [
        # Random ids, as production gives every choice (models.random_choice_id).
        Choice(
            question_id=question.id,
            position=position,
            text=text,
            is_correct=is_correct,
            feedback="Richtig, laut Quelle." if is_correct else "Nein, die Quelle sagt etwas anderes.",
        )
        for position, (text, is_correct) in enumerate(labels, start=1)
    ]
