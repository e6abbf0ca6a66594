"""The interchange question: what GIFT and Moodle XML carry, as frozen dataclasses (no ORM, no request).

Fractions are Moodle's percentages as Decimal (100 right, 0 wrong, 50 half, -100 a full penalty).
A question's `line` is where it starts in the file it was read from; it is not part of its identity,
so the same question read from a GIFT and from an XML file compares equal.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from quizzes.interchange.weights import scoring_summary
from quizzes.scoring import MULTIPLE, SINGLE, TRUE_FALSE

KINDS = (SINGLE, MULTIPLE, TRUE_FALSE)

# Files above this size are refused before any parsing, so memory stays bounded.
MAX_FILE_BYTES = 10 * 1024 * 1024
# More questions than this in one file is reported and reading stops.
MAX_QUESTIONS = 2000

# Difficulty travels as a tag such as "difficulty-hard"; both formats keep tags.
DIFFICULTY_TAG_PREFIX = "difficulty-"

# Our true/false questions carry these two choices, in this order.
TRUE_TEXT = "true"
FALSE_TEXT = "false"


@dataclass(frozen=True)
class InterchangeChoice:
    text: str
    fraction: Decimal
    feedback: str = ""


@dataclass(frozen=True)
class InterchangeCitation:
    source: str
    quote: str
    note: str = ""
    translation: str = ""


@dataclass(frozen=True)
class InterchangeQuestion:
    key: str
    name: str
    kind: str
    text: str
    general_feedback: str = ""
    points: Decimal = Decimal("1")
    category: str = ""
    tags: tuple = ()
    choices: tuple = ()
    citations: tuple = ()
    line: int = field(default=0, compare=False)

    @property
    def difficulty(self) -> str:
        """The level named by the first difficulty tag, or "" when there is none."""
        for tag in self.tags:
            if tag.startswith(DIFFICULTY_TAG_PREFIX):
                return tag[len(DIFFICULTY_TAG_PREFIX):]
        return ""

    @property
    def scoring(self) -> str:
        """How our scoring rule will score this question, in a short sentence."""
        return scoring_summary(self.kind, [choice.fraction for choice in self.choices], self.points)


# A problem's severity. An error stops a writing import (nothing is written); a skipped question is one
# we cannot hold (a type we do not have, weights our rule cannot score): it is listed and left out,
# and the rest of the file is imported, as Moodle's own import skips what it cannot read.
ERROR = "error"
SKIPPED = "skipped"


@dataclass(frozen=True)
class Problem:
    """Something in a file that cannot be read as one of our questions; `line` 0 means the whole file."""

    line: int
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass(frozen=True)
class ReadResult:
    questions: tuple
    problems: tuple


def category_path(category: str) -> str:
    """Moodle's category path without its context prefix: "$course$/top/A/B" -> "A/B"."""
    path = category.strip().strip("/")
    if path.startswith("$") and "$/" in path:
        path = path.split("$/", 1)[1]
    if path == "top" or path.startswith("top/"):
        path = path[len("top"):].lstrip("/")
    return path


def moodle_category(category: str) -> str:
    """Our category as Moodle writes it: "A/B" -> "$course$/top/A/B"."""
    return "$course$/top/" + category if category else "$course$/top"


def decode_upload(raw) -> tuple:
    """Bytes -> (text, problem or None): refuses files over the limit and broken UTF-8 before parsing."""
    if isinstance(raw, str):
        if len(raw) > MAX_FILE_BYTES:
            return "", file_too_large()
        return raw.lstrip("\ufeff"), None
    if len(raw) > MAX_FILE_BYTES:
        return "", file_too_large()
    try:
        return raw.decode("utf-8").lstrip("\ufeff"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", Problem(line, _("The file is not valid UTF-8 (byte %(position)d).") % {"position": error.start})


def file_too_large() -> Problem:
    """The problem of a file over MAX_FILE_BYTES, found before any parsing."""
    return Problem(0, _("The file is larger than %(megabytes)d MB.") % {"megabytes": MAX_FILE_BYTES // (1024 * 1024)})


def too_many_questions(line: int) -> Problem:
    """The problem of a file with more than MAX_QUESTIONS questions, where reading stopped."""
    return Problem(line, _("More than %(limit)d questions; reading stopped here.") % {"limit": MAX_QUESTIONS})



# Moodle writes weights with 5 decimals and points with 7 at most; a number with far more (1e-30000000)
# would cost unbounded time and memory in exact arithmetic, so it is a problem, not a number.
MAX_DECIMAL_PLACES = 7


def is_reasonable_number(value) -> bool:
    """Whether a parsed Decimal is finite and written with at most MAX_DECIMAL_PLACES decimals."""
    return value.is_finite() and value.as_tuple().exponent >= -MAX_DECIMAL_PLACES
