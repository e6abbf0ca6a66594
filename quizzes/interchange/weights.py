"""Which Moodle answer weights our scoring rule (quizzes/scoring.py) expresses, and how it will score.

Our rule: single choice and true/false have one answer at 100 % and the others at 0 %; multiple
choice with k right answers of n gives each right one 100/k % and each wrong one -100/(n-k) %.
Moodle writes recurring decimals to 5 places (33.33333), so weights are compared with a tolerance.
Anything else would be rescored silently if we imported it, so it is a problem instead.
"""

from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quizzes.scoring import MULTIPLE, SINGLE, TRUE_FALSE

TOLERANCE = Fraction(1, 1000)


def expected_fractions(kind: str, correct: list) -> list:
    """The weights in percent our rule gives each answer, from which answers are right."""
    if kind in (SINGLE, TRUE_FALSE):
        return [Fraction(100) if is_correct else Fraction(0) for is_correct in correct]
    right_count = sum(1 for is_correct in correct if is_correct)
    wrong_count = len(correct) - right_count
    return [Fraction(100, right_count) if is_correct else Fraction(-100, wrong_count) for is_correct in correct]


def percent_text(value) -> str:
    """A weight as Moodle writes it: at most 5 decimals, no trailing zeros ("33.33333", "-50", "100")."""
    value = Fraction(value)
    rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.00001"))
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def weight_problem(kind: str, fractions: list):
    """Why these weights cannot be scored by our rule, or None when they can."""
    if len(fractions) < 2:
        return _("A question needs at least two answers.")
    correct = [Fraction(fraction) > 0 for fraction in fractions]
    if not any(correct):
        return _("No answer has a positive weight, so no answer would be right.")
    if kind in (SINGLE, TRUE_FALSE) and sum(correct) != 1:
        return _("A single-answer question needs exactly one right answer.")
    expected = expected_fractions(kind, correct)
    if any(abs(Fraction(given) - wanted) > TOLERANCE for given, wanted in zip(fractions, expected)):
        shown = ", ".join(percent_text(Fraction(given)) for given in fractions)
        wanted = ", ".join(percent_text(value) for value in expected)
        if kind == MULTIPLE:
            return _(
                "Weights %(given)s cannot be scored by our rule: right answers share 100 %% equally and wrong "
                "ones cost the same share of it; expected %(expected)s."
            ) % {"given": shown, "expected": wanted}
        return _("Weights %(given)s cannot be scored by our rule; expected %(expected)s.") % {
            "given": shown,
            "expected": wanted,
        }
    return None


def scoring_summary(kind: str, fractions: list, points) -> str:
    """How our rule scores a question with these weights, in one sentence a teacher understands."""
    value = Decimal(points)
    points_text = ngettext("%(points)s point", "%(points)s points", 1 if value == 1 else 2) % {
        "points": format(value.normalize(), "f")
    }
    if kind == TRUE_FALSE:
        return _("True or false: %(points)s for the right answer, otherwise 0.") % {"points": points_text}
    if kind == SINGLE:
        return _("Single choice: %(points)s for the one right answer, otherwise 0.") % {"points": points_text}
    right_count = sum(1 for fraction in fractions if Fraction(fraction) > 0)
    wrong_count = len(fractions) - right_count
    if not wrong_count:
        message = _(
            "Multiple choice: %(points)s; each of the %(right)d answers, all right, earns 1/%(right)d of the points."
        )
        return message % {"right": right_count, "points": points_text}
    rights = ngettext(
        "the right answer earns all the points",
        "each of the %(right)d right answers earns 1/%(right)d of the points",
        right_count,
    ) % {"right": right_count}
    wrongs = ngettext(
        "the wrong answer costs all the points",
        "each of the %(wrong)d wrong ones costs 1/%(wrong)d of the points",
        wrong_count,
    ) % {"wrong": wrong_count}
    return _("Multiple choice: %(points)s; %(rights)s, %(wrongs)s, never below 0.") % {
        "points": points_text, "rights": rights, "wrongs": wrongs
    }
