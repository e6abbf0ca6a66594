"""A guest's attempts move to the account they sign up or log in with."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .. import caching
from ..models import Attempt, AttemptState
from ..owners import Owner
from ..reports import tallies
from .grading import score_and_close
from .review import claim_guest_memory, retried_when_fed_in_parallel


@retried_when_fed_in_parallel
def claim_guest_attempts(*, guest_key, user):
    """Move a guest's attempts and memory states (review) to the account they just signed up or logged in with.

    Numbers continue after the user's own attempts on the same quiz; an attempt still in progress
    is kept only if the user has none in progress on that quiz.
    """
    if not guest_key:
        return 0
    now = timezone.now()
    account = Owner(user_id=user.pk)
    with transaction.atomic():
        guest_attempts = list(
            Attempt.objects.select_for_update()
            .filter(**Owner(guest_key=guest_key).attempt_filter())
            .order_by("started_at")
        )
        quiz_ids = {attempt.quiz_id for attempt in guest_attempts}
        last_numbers = dict(
            Attempt.objects.filter(quiz_id__in=quiz_ids, **account.attempt_filter())
            .values("quiz_id")
            .annotate(last=Max("number"))
            .values_list("quiz_id", "last")
        )
        busy_quizzes = set(
            Attempt.objects.filter(quiz_id__in=quiz_ids, state=AttemptState.IN_PROGRESS, **account.attempt_filter())
            .values_list("quiz_id", flat=True)
        )
        guest_numbers = {attempt.pk: attempt.number for attempt in guest_attempts}
        for attempt in guest_attempts:
            if attempt.is_open and attempt.quiz_id in busy_quizzes:
                score_and_close(attempt, state=AttemptState.EXPIRED, now=now)
            last_numbers[attempt.quiz_id] = last_numbers.get(attempt.quiz_id, 0) + 1
            attempt.number = last_numbers[attempt.quiz_id]
            attempt.user = user
            attempt.guest_key = ""
        for attempt in guest_attempts:
            attempt.save(update_fields=["number", "user", "guest_key"])
        tallies.move_claimed(guest_attempts, guest_numbers=guest_numbers)
        claim_guest_memory(guest_key=guest_key, user=user)
        # The account now takes the guest's quizzes in progress.
        caching.learner_changed(Owner(guest_key=guest_key).key, account.key)
    return len(guest_attempts)
