"""Generate a large, realistic data set for load tests and benchmarks.

    manage.py generate_demo_data --quizzes 1000 --questions 20 --attempts 100000

Everything is written with bulk inserts in batches, inside one transaction per batch, with ids
allocated up front so children can point at parents without a round trip per row. Attempts are
submitted (a few expired) and scored with quizzes.scoring, so they satisfy the model's constraints and
look like what learners leave behind: popular quizzes get many attempts, weak and strong learners mix,
some attempts are a guest's. Slugs and usernames start with --prefix, so the data never clashes with
the fixtures; running again with the same prefix is refused rather than half-duplicating rows.
"""

import random
import time
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from quizzes import scoring
from quizzes.reports import tallies
from quizzes.models import (
    Answer,
    AnswerVisibility,
    Attempt,
    AttemptState,
    Choice,
    Citation,
    Difficulty,
    GradingMethod,
    Language,
    MemoryState,
    Question,
    QuestionKind,
    Quiz,
    Selection,
    Source,
    Topic,
)
from quizzes.owners import Owner

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
GUEST_SHARE = 0.2
EXPIRED_SHARE = 0.03


def batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class ProgressBar:
    """A one-line progress bar on the command's stderr, redrawn only when the shown percentage changes."""

    WIDTH = 30

    def __init__(self, label, total, *, stream):
        self.label, self.total, self.stream = label, max(total, 1), stream
        self.done, self.shown, self.started = 0, -1, time.monotonic()
        self.draw()

    def advance(self, count):
        self.done += count
        self.draw()

    def draw(self):
        percent = min(100, self.done * 100 // self.total)
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r{self.label:<10} [{bar}] {percent:3d}% {self.done:>9}/{self.total} {elapsed:6.1f}s", ending=""
        )
        self.stream.flush()

    def finish(self):
        self.done = self.total
        self.draw()
        self.stream.write("")


class IdAllocator:
    """Hands out primary keys after the current maximum, so a batch knows its ids before inserting."""

    def __init__(self, model):
        self.next_id = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1

    def __call__(self):
        allocated = self.next_id
        self.next_id += 1
        return allocated


class Command(BaseCommand):
    help = "Bulk-generate quizzes, questions, learners and scored attempts for load tests and benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--quizzes", type=int, default=100, help="Number of quizzes (default 100).")
        parser.add_argument("--questions", type=int, default=20, help="Questions per quiz (default 20).")
        parser.add_argument("--choices", type=int, default=4, help="Choices per question (default 4).")
        parser.add_argument("--users", type=int, default=None, help="Learner accounts (default attempts/20).")
        parser.add_argument("--attempts", type=int, default=1000, help="Closed attempts (default 1000).")
        parser.add_argument(
            "--review-states", type=int, default=10000,
            help="Memory states of one learner, '<prefix>-reviewer', for spaced review (default 10000).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data (default 1).")
        parser.add_argument("--prefix", default="demo", help="Prefix of slugs and usernames (default 'demo').")
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per transaction (default 2000).")

    def handle(self, *args, **options):
        self.validate(options)
        self.rng = random.Random(options["seed"])  # nosec B311 - demo data, not security-sensitive
        self.prefix = options["prefix"]
        self.batch_size = options["batch_size"]
        self.show_progress = options["verbosity"] >= 1
        self.now = timezone.now()
        started = time.monotonic()

        topics, sources = self.create_topics_and_sources()
        quizzes = self.create_quizzes(options["quizzes"], topics=topics)
        keys_by_quiz = self.create_questions(
            quizzes, per_quiz=options["questions"], choices=options["choices"], topics=topics, sources=sources
        )
        user_count = options["users"] if options["users"] is not None else max(1, options["attempts"] // 20)
        user_ids = self.create_users(user_count)
        self.create_attempts(options["attempts"], quizzes=quizzes, keys_by_quiz=keys_by_quiz, user_ids=user_ids)
        # The ids above were allocated here: PostgreSQL's sequences move past them before the reviewer,
        # whose ids the database allocates, is created.
        self.reset_sequences()
        self.create_reviewer(options["review_states"], keys_by_quiz=keys_by_quiz)

        self.stdout.write(
            f"Generated {len(quizzes)} quizzes × {options['questions']} questions, {len(user_ids)} learners and "
            f"{options['attempts']} attempts with prefix '{self.prefix}' in {time.monotonic() - started:.1f}s."
        )

    def validate(self, options):
        for name in ("quizzes", "questions", "attempts", "batch_size", "review_states"):
            minimum = 0 if name in ("attempts", "review_states") else 1
            if options[name] < minimum:
                raise CommandError(f"--{name.replace('_', '-')} must be at least {minimum}.")
        if options["choices"] < 2:
            raise CommandError("--choices must be at least 2.")
        if options["users"] is not None and options["users"] < 1:
            raise CommandError("--users must be at least 1.")
        if not options["prefix"] or not options["prefix"].replace("-", "").isalnum():
            raise CommandError("--prefix must be letters, digits and hyphens.")
        if Quiz.objects.filter(slug__startswith=f"{options['prefix']}-").exists():
            raise CommandError(
                f"Demo data with prefix '{options['prefix']}' exists already; choose another --prefix."
            )

    def progress(self, label, total):
        stream = self.stderr if self.show_progress else _Discard()
        return ProgressBar(label, total, stream=stream)

    # -----------------------------------------------------------------------------------------
    # Content

    def create_topics_and_sources(self):
        topics = [
            Topic.objects.get_or_create(
                slug=f"{self.prefix}-{slug}", defaults={"name_de": name_de, "name_en": name_en}
            )[0]
            for slug, name_de, name_en in TOPIC_NAMES
        ]
        sources = [
            Source.objects.get_or_create(
                slug=f"{self.prefix}-source-{language}",
                defaults={
                    "title": f"Demo article ({language})",
                    "publisher": "Demo Press",
                    "language": language,
                },
            )[0]
            for language in (Language.GERMAN, Language.ENGLISH)
        ]
        return topics, sources

    def create_quizzes(self, count, *, topics):
        next_id = IdAllocator(Quiz)
        quizzes = []
        for index in range(count):
            # Pairs of quizzes are the German and English version of one quiz, like the fixtures.
            language = Language.GERMAN if index % 2 == 0 else Language.ENGLISH
            pair = index // 2
            quizzes.append(
                Quiz(
                    id=next_id(),
                    slug=f"{self.prefix}-{pair}-{language}",
                    translation_key=f"{self.prefix}-{pair}",
                    title=f"Quiz {pair + 1}: " + self.rng.choice(TOPIC_NAMES)[1 if language == Language.GERMAN else 2],
                    description="Was du danach weißt." if language == Language.GERMAN else "What you will know.",
                    language=language,
                    is_published=self.rng.random() < 0.95,
                    shuffle_questions=self.rng.random() < 0.5,
                    shuffle_choices=self.rng.random() < 0.5,
                    time_limit_seconds=self.rng.choice([None, None, 600, 1200]),
                    max_attempts=self.rng.choice([None, None, None, 3]),
                    pass_mark=self.rng.choice([50, 60, 70]),
                    grading_method=self.rng.choice(GradingMethod.values),
                    answer_visibility=self.rng.choice(
                        [AnswerVisibility.AFTER_SUBMISSION] * 3 + [AnswerVisibility.AFTER_LAST_ATTEMPT]
                    ),
                )
            )
        through = Quiz.topics.through
        links = [
            through(quiz_id=quiz.id, topic_id=topic.id)
            for quiz in quizzes
            for topic in self.rng.sample(topics, 2)
        ]
        bar = self.progress("quizzes", len(quizzes))
        for batch in batched(quizzes, self.batch_size):
            with transaction.atomic():
                Quiz.objects.bulk_create(batch)
            bar.advance(len(batch))
        with transaction.atomic():
            through.objects.bulk_create(links, batch_size=self.batch_size)
        bar.finish()
        return quizzes

    def create_questions(self, quizzes, *, per_quiz, choices, topics, sources):
        """Create questions with choices and a citation; returns each quiz's scoring keys by question id."""
        next_question_id = IdAllocator(Question)
        kinds = [kind for kind, _weight in KIND_WEIGHTS]
        weights = [weight for _kind, weight in KIND_WEIGHTS]
        keys_by_quiz = {}
        bar = self.progress("questions", len(quizzes) * per_quiz)
        for quiz_batch in batched(quizzes, max(1, self.batch_size // per_quiz)):
            questions, choice_rows, citations = [], [], []
            for quiz in quiz_batch:
                keys = keys_by_quiz[quiz.id] = {}
                source = sources[0] if quiz.language == Language.GERMAN else sources[1]
                for position in range(1, per_quiz + 1):
                    kind = self.rng.choices(kinds, weights)[0]
                    question = Question(
                        id=next_question_id(),
                        quiz_id=quiz.id,
                        key=f"q{position}",
                        position=position,
                        kind=kind,
                        text=f"Frage {position} zu {quiz.title}?",
                        explanation="Weil die Quelle es so sagt.",
                        points=Decimal("2") if self.rng.random() < 0.2 else Decimal("1"),
                        topic_id=self.rng.choice(topics).id,
                        difficulty=self.rng.choice(Difficulty.values),
                    )
                    questions.append(question)
                    new_choices = self.choices_for(question, count=choices)
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

    def choices_for(self, question, *, count):
        if question.kind == QuestionKind.TRUE_FALSE:
            statement_is_true = self.rng.random() < 0.5
            labels = [("Wahr", statement_is_true), ("Falsch", not statement_is_true)]
        else:
            correct_count = 2 if question.kind == QuestionKind.MULTIPLE and count >= 3 else 1
            correct_positions = set(self.rng.sample(range(count), correct_count))
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

    # -----------------------------------------------------------------------------------------
    # Learners and attempts

    def create_users(self, count):
        user_model = get_user_model()
        # Generated learners cannot log in; one unusable hash instead of `count` slow ones.
        unusable = make_password(None)
        next_id = IdAllocator(user_model)
        users = [
            user_model(id=next_id(), username=f"{self.prefix}-learner-{index}", password=unusable)
            for index in range(count)
        ]
        bar = self.progress("learners", count)
        for batch in batched(users, self.batch_size):
            with transaction.atomic():
                user_model.objects.bulk_create(batch)
            bar.advance(len(batch))
        bar.finish()
        return [user.id for user in users]

    def create_attempts(self, count, *, quizzes, keys_by_quiz, user_ids):
        if not count:
            return
        # Popularity follows a long tail: a few quizzes get thousands of attempts, most get a few.
        popularity = [1 / (rank**0.8) for rank in range(1, len(quizzes) + 1)]
        popular_quizzes = self.rng.sample(quizzes, len(quizzes))
        skill_by_user = {user_id: self.rng.uniform(0.3, 0.95) for user_id in user_ids}
        numbers = defaultdict(int)
        next_attempt_number = self.attempt_number_after(numbers)
        next_answer_id = IdAllocator(Answer)
        bar = self.progress("attempts", count)
        remaining = count
        # The report tallies, counted as grading counts each attempt it closes. They are written once
        # at the end: a few rows per quiz, question and choice a day, which every batch would rewrite.
        counted = tallies.new_sums()
        while remaining:
            size = min(remaining, max(1, self.batch_size // 10))
            attempts, answers, selections = [], [], []
            for quiz in self.rng.choices(popular_quizzes, popularity, k=size):
                user_id = self.rng.choice(user_ids)
                if self.rng.random() < GUEST_SHARE or (
                    quiz.max_attempts is not None and numbers[(quiz.id, user_id)] >= quiz.max_attempts
                ):
                    user_id, guest_key, skill = None, self.rng.randbytes(16).hex(), self.rng.uniform(0.2, 0.9)
                else:
                    guest_key, skill = "", skill_by_user[user_id]
                first_answer = len(answers)
                attempt = self.scored_attempt(
                    quiz,
                    keys=keys_by_quiz[quiz.id],
                    user_id=user_id,
                    guest_key=guest_key,
                    number=next_attempt_number(quiz.id, user_id),
                    skill=skill,
                    answers=answers,
                    selections=selections,
                    next_answer_id=next_answer_id,
                )
                attempts.append(attempt)
                points_of = {question_id: key.points for question_id, key in keys_by_quiz[quiz.id].items()}
                facts = tallies.facts_of(attempt, answers=answers[first_answer:], points_of=points_of)
                tallies.merge(counted, tallies.contribution(facts))
            with transaction.atomic():
                Attempt.objects.bulk_create(attempts)
                Answer.objects.bulk_create(answers)
                Selection.objects.bulk_create(selections)
            bar.advance(size)
            remaining -= size
        with transaction.atomic():
            tallies.add(counted)
        bar.finish()

    @staticmethod
    def attempt_number_after(numbers):
        def next_number(quiz_id, user_id):
            if user_id is None:
                return 1  # every generated guest is a different browser
            numbers[(quiz_id, user_id)] += 1
            return numbers[(quiz_id, user_id)]

        return next_number

    def scored_attempt(self, quiz, *, keys, user_id, guest_key, number, skill, answers, selections, next_answer_id):
        """An attempt answered by a learner of the given skill, scored like submit_attempt scores it."""
        question_ids = list(keys)
        if quiz.shuffle_questions:
            self.rng.shuffle(question_ids)
        started_at = self.now - timedelta(days=self.rng.uniform(0, 90))
        duration = timedelta(seconds=self.rng.uniform(60, 900))
        deadline = started_at + timedelta(seconds=quiz.time_limit_seconds) if quiz.time_limit_seconds else None
        expired = deadline is not None and self.rng.random() < EXPIRED_SHARE
        submitted_at = deadline if expired else min(started_at + duration, deadline or started_at + duration)
        attempt = Attempt(
            quiz_id=quiz.id,
            user_id=user_id,
            guest_key=guest_key,
            number=number,
            state=AttemptState.EXPIRED if expired else AttemptState.SUBMITTED,
            started_at=started_at,
            deadline=deadline,
            submitted_at=submitted_at,
            question_order=question_ids,
            choice_order={str(question_id): sorted(keys[question_id].choice_ids) for question_id in question_ids},
            question_kinds={str(question_id): keys[question_id].kind for question_id in question_ids},
        )
        # Expired attempts were left half done; submitted ones mostly complete.
        answered_share = 0.5 if expired else 0.95
        selections_made = {
            question_id: self.pick_choices(keys[question_id], skill=skill)
            for question_id in question_ids
            if self.rng.random() <= answered_share
        }
        # Graded as submitting grades, and written as submitting writes: an answer row for every
        # shown question, an unanswered one empty and worth 0.
        grade = scoring.grade_attempt(
            question_order=question_ids, keys=keys, selections=selections_made, pass_mark=quiz.pass_mark
        )
        for graded in grade.questions:
            answer_id = next_answer_id()
            answers.append(
                Answer(
                    id=answer_id,
                    attempt_id=attempt.id,
                    question_id=graded.question_id,
                    choice_ids=list(graded.choice_ids),
                    score=graded.score,
                    saved_at=submitted_at,
                )
            )
            selections.extend(Selection(answer_id=answer_id, choice_id=choice_id) for choice_id in graded.choice_ids)
        attempt.score, attempt.max_score, attempt.percent, attempt.passed = (
            grade.score, grade.max_score, grade.percent, grade.passed
        )
        return attempt

    def pick_choices(self, key, *, skill):
        """What a learner who knows each answer with probability `skill` selects."""
        wrong = sorted(key.choice_ids - key.correct_ids)
        correct = sorted(key.correct_ids)
        if key.kind != QuestionKind.MULTIPLE:
            if self.rng.random() < skill or not wrong:
                return correct[:1]
            return [self.rng.choice(wrong)]
        chosen = [choice_id for choice_id in correct if self.rng.random() < skill]
        chosen += [choice_id for choice_id in wrong if self.rng.random() > skill + 0.1]
        return chosen or [self.rng.choice(sorted(key.choice_ids))]

    def create_reviewer(self, count, *, keys_by_quiz):
        """One learner with `count` memory states, a few due now (most overdue weeks ago), most later.

        There are usually fewer questions than states: beyond one state per question (keyed as
        review keys them, `#<id>`, generated questions having no translation), the rest stand for
        questions of other quizzes under keys of their own, each showing one of the generated questions.
        """
        if not count:
            return
        user = get_user_model().objects.create(username=f"{self.prefix}-reviewer", password=make_password(None))
        owner = Owner.of(user=user)
        quiz_of = {question_id: quiz_id for quiz_id, keys in keys_by_quiz.items() for question_id in keys}
        question_ids = sorted(quiz_of)
        states = []
        for index in range(count):
            question_id = question_ids[index % len(question_ids)]
            key = f"#{question_id}" if index < len(question_ids) else f"{self.prefix}-review-{index}"
            stability = self.rng.uniform(1, 60)
            is_due = self.rng.random() < 0.03
            due = self.now - timedelta(days=self.rng.uniform(0, 30)) if is_due else self.now + timedelta(
                days=self.rng.uniform(0.01, 90)
            )
            states.append(
                MemoryState(
                    owner=owner.key, user=user, key=key, question_id=question_id, quiz_id=quiz_of[question_id],
                    state=2, stability=stability, difficulty=self.rng.uniform(3, 8), due=due,
                    last_review=due - timedelta(days=stability),
                )
            )
        bar = self.progress("memory states", count)
        for batch in batched(states, self.batch_size):
            with transaction.atomic():
                MemoryState.objects.bulk_create(batch)
            bar.advance(len(batch))
        bar.finish()

    def reset_sequences(self):
        """Ids were allocated here, not by the database: move PostgreSQL's sequences past them."""
        models = [Quiz, Question, Choice, Citation, Answer, Selection, get_user_model(), MemoryState]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


class _Discard:
    def write(self, text, ending=None):
        pass

    def flush(self):
        pass
