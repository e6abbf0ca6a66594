"""A small class whose report figures are computed by hand in the comments of tests/test_reports.py.

Quiz (pass mark 50, grading: highest) with three questions, 4 points in all:
  Q1 single choice, 1 point: "Richtig" (correct), "Falsch eins", "Falsch zwei"
  Q2 multiple choice, 2 points: two correct ("Äpfel", "Birnen"), two wrong ("Größe", "Kürbis")
  Q3 true/false, 1 point: "Wahr" (correct), "Unwahr"
Attempts (closed 1 March 2026 unless said otherwise):
  jürgen #1: Q1 right, Q2 "Äpfel" only (partial, 1), Q3 right        -> 3/4 = 75 %
  jürgen #2 (closed 10 March): everything right                        -> 100 %
  bob    #1: Q1 wrong, Q2 both correct (2), Q3 unanswered              -> 2/4 = 50 %
  carol  #1: Q1 wrong, Q2 "Äpfel" + "Größe" (0), Q3 right             -> 1/4 = 25 %
  a guest #1: Q1 right, Q2 unanswered, Q3 wrong                        -> 1/4 = 25 %
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from quizzes import services
from quizzes.models import Choice, QuestionKind
from quizzes.services import AnswerInput, Owner
from tests.factories import QuestionFactory, QuizFactory, UserFactory

GUEST_KEY = "guest-session-key-4f1c2a9d"


def moment(day, hour=10):
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour, 0))


@dataclass
class ClassData:
    quiz: object
    questions: list
    choice: dict
    users: dict
    attempts: dict


def take(quiz, owner, picks, *, day=1):
    """Start and submit an attempt on `day` of March 2026 with {question: [choice, ...]}; returns it."""
    attempt, _ = services.start_attempt(quiz=quiz, owner=owner, now=moment(day))
    answers = [AnswerInput(question_id=question.pk, choice_ids=tuple(c.pk for c in chosen)) for question, chosen in picks.items()]
    return services.submit_attempt(attempt_id=attempt.pk, owner=owner, answers=answers, now=moment(day, 11))


def build_class():
    quiz = QuizFactory(title="Wähler und Plattformen", pass_mark=50, grading_method="highest")
    q1 = QuestionFactory(quiz=quiz, position=1, text="Wer schaltete Parler ab?", choices=False)
    q2 = QuestionFactory(quiz=quiz, position=2, kind=QuestionKind.MULTIPLE, points=2, text="Welche sind Obst?", choices=False)
    q3 = QuestionFactory(quiz=quiz, position=3, kind=QuestionKind.TRUE_FALSE, text="Stimmt es?", choices=False)
    choice = {}
    for question, labels in [
        (q1, [("Richtig", True), ("Falsch eins", False), ("Falsch zwei", False)]),
        (q2, [("Äpfel", True), ("Birnen", True), ("Größe", False), ("Kürbis", False)]),
        (q3, [("Wahr", True), ("Unwahr", False)]),
    ]:
        for position, (text, is_correct) in enumerate(labels, start=1):
            choice[text] = Choice.objects.create(question=question, position=position, text=text, is_correct=is_correct)
    users = {name: UserFactory(username=name) for name in ("jürgen", "bob", "carol")}
    owner = {name: Owner.of(user=user) for name, user in users.items()}
    c = choice
    attempts = {
        "jürgen 1": take(quiz, owner["jürgen"], {q1: [c["Richtig"]], q2: [c["Äpfel"]], q3: [c["Wahr"]]}),
        "bob 1": take(quiz, owner["bob"], {q1: [c["Falsch eins"]], q2: [c["Äpfel"], c["Birnen"]]}),
        "carol 1": take(quiz, owner["carol"], {q1: [c["Falsch eins"]], q2: [c["Äpfel"], c["Größe"]], q3: [c["Wahr"]]}),
        "guest 1": take(quiz, Owner.of(guest_key=GUEST_KEY), {q1: [c["Richtig"]], q3: [c["Unwahr"]]}),
        "jürgen 2": take(
            quiz, owner["jürgen"], {q1: [c["Richtig"]], q2: [c["Äpfel"], c["Birnen"]], q3: [c["Wahr"]]}, day=10
        ),
    }
    return ClassData(quiz=quiz, questions=[q1, q2, q3], choice=choice, users=users, attempts=attempts)
