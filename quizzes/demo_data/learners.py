"""Demo learners: accounts, their attempts scored as submitting scores them, and a reviewer's memory states."""

from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .. import scoring
from ..models import Answer, Attempt, AttemptState, MemoryState, QuestionKind, Selection
from ..owners import Owner
from ..reports import tallies
from ..services import grading
from .writing import IdAllocator, batched

GUEST_SHARE = 0.2
EXPIRED_SHARE = 0.03


def create_users(run, count):
    user_model = get_user_model()
    # Generated learners cannot log in; one unusable hash instead of `count` slow ones.
    unusable = make_password(None)
    next_id = IdAllocator(user_model)
    users = [
        user_model(id=next_id(), username=f"{run.prefix}-learner-{index}", password=unusable)
        for index in range(count)
    ]
    bar = run.progress("learners", count)
    for batch in batched(users, run.batch_size):
        with transaction.atomic():
            user_model.objects.bulk_create(batch)
        bar.advance(len(batch))
    bar.finish()
    return [user.id for user in users]


def create_attempts(run, count, *, quizzes, keys_by_quiz, user_ids):
    if not count:
        return
    # Popularity follows a long tail: a few quizzes get thousands of attempts, most get a few.
    popularity = [1 / (rank**0.8) for rank in range(1, len(quizzes) + 1)]
    popular_quizzes = run.rng.sample(quizzes, len(quizzes))
    skill_by_user = {user_id: run.rng.uniform(0.3, 0.95) for user_id in user_ids}
    numbers = defaultdict(int)
    next_attempt_number = attempt_number_after(numbers)
    next_answer_id = IdAllocator(Answer)
    bar = run.progress("attempts", count)
    remaining = count
    # The report tallies, counted as grading counts each attempt it closes. They are written once
    # at the end: a few rows per quiz, question and choice a day, which every batch would rewrite.
    counted = tallies.new_sums()
    while remaining:
        size = min(remaining, max(1, run.batch_size // 10))
        attempts, answers, selections = [], [], []
        for quiz in run.rng.choices(popular_quizzes, popularity, k=size):
            user_id = run.rng.choice(user_ids)
            if run.rng.random() < GUEST_SHARE or (
                quiz.max_attempts is not None and numbers[(quiz.id, user_id)] >= quiz.max_attempts
            ):
                user_id, guest_key, skill = None, run.rng.randbytes(16).hex(), run.rng.uniform(0.2, 0.9)
            else:
                guest_key, skill = "", skill_by_user[user_id]
            first_answer = len(answers)
            attempt = scored_attempt(run, 
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


def attempt_number_after(numbers):
    def next_number(quiz_id, user_id):
        if user_id is None:
            return 1  # every generated guest is a different browser
        numbers[(quiz_id, user_id)] += 1
        return numbers[(quiz_id, user_id)]

    return next_number


def scored_attempt(run, quiz, *, keys, user_id, guest_key, number, skill, answers, selections, next_answer_id):
    """An attempt answered by a learner of the given skill, scored like submit_attempt scores it."""
    question_ids = list(keys)
    if quiz.shuffle_questions:
        run.rng.shuffle(question_ids)
    started_at = run.now - timedelta(days=run.rng.uniform(0, 90))
    duration = timedelta(seconds=run.rng.uniform(60, 900))
    deadline = started_at + timedelta(seconds=quiz.time_limit_seconds) if quiz.time_limit_seconds else None
    expired = deadline is not None and run.rng.random() < EXPIRED_SHARE
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
        question_id: pick_choices(run, keys[question_id], skill=skill)
        for question_id in question_ids
        if run.rng.random() <= answered_share
    }
    # Graded as submitting grades, and its rows built by the same functions closing writes with; the
    # ids are allocated here, so the rows of many attempts go in a few bulk inserts.
    grade = scoring.grade_attempt(
        question_order=question_ids, keys=keys, selections=selections_made, pass_mark=quiz.pass_mark
    )
    rows = grading.answer_rows(attempt, grade, saved_at_of=lambda _question_id: submitted_at)
    for row in rows:
        row.id = next_answer_id()
    answers.extend(rows)
    selections.extend(grading.selection_rows(rows))
    grading.put_grade_on(attempt, grade)
    return attempt


def pick_choices(run, key, *, skill):
    """What a learner who knows each answer with probability `skill` selects."""
    wrong = sorted(key.choice_ids - key.correct_ids)
    correct = sorted(key.correct_ids)
    if key.kind != QuestionKind.MULTIPLE:
        if run.rng.random() < skill or not wrong:
            return correct[:1]
        return [run.rng.choice(wrong)]
    chosen = [choice_id for choice_id in correct if run.rng.random() < skill]
    chosen += [choice_id for choice_id in wrong if run.rng.random() > skill + 0.1]
    return chosen or [run.rng.choice(sorted(key.choice_ids))]


def create_reviewer(run, count, *, keys_by_quiz):
    """One learner with `count` memory states, a few due now (most overdue weeks ago), most later.

    There are usually fewer questions than states: beyond one state per question (keyed as
    review keys them, `#<id>`, generated questions having no translation), the rest stand for
    questions of other quizzes under keys of their own, each showing one of the generated questions.
    """
    if not count:
        return
    user = get_user_model().objects.create(username=f"{run.prefix}-reviewer", password=make_password(None))
    owner = Owner.of(user=user)
    quiz_of = {question_id: quiz_id for quiz_id, keys in keys_by_quiz.items() for question_id in keys}
    question_ids = sorted(quiz_of)
    states = []
    for index in range(count):
        question_id = question_ids[index % len(question_ids)]
        key = f"#{question_id}" if index < len(question_ids) else f"{run.prefix}-review-{index}"
        stability = run.rng.uniform(1, 60)
        is_due = run.rng.random() < 0.03
        due = run.now - timedelta(days=run.rng.uniform(0, 30)) if is_due else run.now + timedelta(
            days=run.rng.uniform(0.01, 90)
        )
        states.append(
            MemoryState(
                owner=owner.key, user=user, key=key, question_id=question_id, quiz_id=quiz_of[question_id],
                state=2, stability=stability, difficulty=run.rng.uniform(3, 8), due=due,
                last_review=due - timedelta(days=stability),
            )
        )
    bar = run.progress("memory states", count)
    for batch in batched(states, run.batch_size):
        with transaction.atomic():
            MemoryState.objects.bulk_create(batch)
        bar.advance(len(batch))
    bar.finish()
