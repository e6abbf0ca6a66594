"""Report figures as pure functions: sums and counts in, plain numbers out. No ORM, no request.

Facility and discrimination follow Moodle's quiz statistics: facility is a question's mean score as a
share of its points; discrimination is the Pearson correlation of the question's score with the
score on the rest of the attempt (the attempt's score minus this question's).
"""

from dataclasses import dataclass
from decimal import Decimal

HISTOGRAM_BINS = 10
TOO_EASY_ABOVE = 0.9
TOO_HARD_BELOW = 0.2
WEAK_DISCRIMINATION_BELOW = 0.2
RARE_DISTRACTOR_BELOW = 0.05

TOO_EASY = "too_easy"
TOO_HARD = "too_hard"
WEAK_DISCRIMINATION = "weak_discrimination"


@dataclass(frozen=True)
class HistogramBin:
    low: int
    high: int
    count: int
    is_last: bool


@dataclass(frozen=True)
class Sums:
    """Sums over n pairs (x, y): x a question's score, y the rest of the attempt's score."""

    n: int
    sum_x: float
    sum_y: float
    sum_xy: float
    sum_xx: float
    sum_yy: float


def share(part, whole):
    """part / whole as a float, None when there is nothing to share."""
    return part / whole if whole else None


def facility(*, total_score, count, points):
    """Mean score as a share of the question's points (0..1); None without answers."""
    if not count or not points:
        return None
    return float(total_score) / count / float(points)


def sample_standard_deviation(*, n, total, squares):
    """Standard deviation with n - 1 (as Moodle); None for fewer than two values."""
    if n < 2:
        return None
    variance = (float(squares) - float(total) ** 2 / n) / (n - 1)
    return max(0.0, variance) ** 0.5


def discrimination(sums: Sums):
    """Pearson correlation of x with y from their sums; None when either side does not vary."""
    n = sums.n
    if n < 2:
        return None
    covariance = n * sums.sum_xy - sums.sum_x * sums.sum_y
    spread_x = n * sums.sum_xx - sums.sum_x**2
    spread_y = n * sums.sum_yy - sums.sum_y**2
    # Float sums of equal values leave rounding noise, not variance.
    if spread_x <= 1e-9 * max(1.0, sums.sum_xx * n) or spread_y <= 1e-9 * max(1.0, sums.sum_yy * n):
        return None
    return max(-1.0, min(1.0, covariance / (spread_x * spread_y) ** 0.5))


def median_of_counts(value_counts):
    """The median of values given as (value, how many) pairs in ascending order of value."""
    value_counts = [(value, count) for value, count in value_counts if count]
    total = sum(count for _, count in value_counts)
    if not total:
        return None
    # The middle one (odd total) or the mean of the middle two (even total), by position.
    lower_position, upper_position = (total - 1) // 2, total // 2
    lower = upper = None
    seen = 0
    for value, count in value_counts:
        if lower is None and lower_position < seen + count:
            lower = value
        if upper_position < seen + count:
            upper = value
            break
        seen += count
    return (Decimal(lower) + Decimal(upper)) / 2


def histogram(value_counts, *, bins=HISTOGRAM_BINS):
    """Percents as (value, how many) pairs counted into equal bins of 0..100; the last bin holds 100."""
    width = 100 // bins
    counts = [0] * bins
    for value, count in value_counts:
        index = min(int(Decimal(value) // width), bins - 1)
        counts[max(index, 0)] += count
    return tuple(
        HistogramBin(low=index * width, high=(index + 1) * width, count=counts[index], is_last=index == bins - 1)
        for index in range(bins)
    )


def question_flags(*, facility, discrimination):
    """What an editor should look at in a question: too easy, too hard, weak discrimination."""
    flags = []
    if facility is not None and facility > TOO_EASY_ABOVE:
        flags.append(TOO_EASY)
    if facility is not None and facility < TOO_HARD_BELOW:
        flags.append(TOO_HARD)
    if discrimination is not None and discrimination < WEAK_DISCRIMINATION_BELOW:
        flags.append(WEAK_DISCRIMINATION)
    return tuple(flags)


def is_rare_distractor(*, is_correct, picked_share):
    """A wrong choice that almost nobody picks does not distract: rewrite or drop it."""
    return not is_correct and picked_share is not None and picked_share < RARE_DISTRACTOR_BELOW
