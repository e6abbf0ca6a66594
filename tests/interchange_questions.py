"""Hypothesis strategies for interchange questions our scoring rule can score (every kind, escapes, Unicode)."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st

from quizzes.interchange.model import (
    FALSE_TEXT,
    MULTIPLE,
    SINGLE,
    TRUE_FALSE,
    TRUE_TEXT,
    InterchangeChoice,
    InterchangeCitation,
    InterchangeQuestion,
)
from quizzes.interchange.weights import percent_text

PHP_WHITESPACE = " \t\n\r\0\x0b"
# Characters both formats must carry: GIFT's specials and escapes, XML's, HTML-looking text, Unicode.
SPECIALS = list("\\:#={}~%[]<>&/-_ \n\"'") + ["\\n", "::", "->", "####", "[html]", "//", "]]>", "ä", "€", "😀"]

texts = (
    st.lists(
        st.sampled_from(SPECIALS) | st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=5),
        min_size=1,
        max_size=8,
    )
    .map(lambda parts: "".join(parts).strip(PHP_WHITESPACE))
    .filter(bool)
)
optional_texts = st.just("") | texts
slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,15}", fullmatch=True)
categories = st.just("") | st.from_regex(r"[a-z][a-z0-9-]{0,10}(/[a-z][a-z0-9-]{0,10})?", fullmatch=True).filter(
    lambda category: category != "top" and not category.startswith("top/")
)
tags = st.from_regex(r"[a-z0-9][a-z0-9 \]-]{0,10}", fullmatch=True).map(lambda tag: tag.strip())
citations = st.builds(
    InterchangeCitation, source=slugs, quote=texts, note=optional_texts, translation=optional_texts
)


@st.composite
def choices(draw, kind):
    if kind == TRUE_FALSE:
        is_true = draw(st.booleans())
        return (
            InterchangeChoice(TRUE_TEXT, Decimal(100 if is_true else 0), draw(optional_texts)),
            InterchangeChoice(FALSE_TEXT, Decimal(0 if is_true else 100), draw(optional_texts)),
        )
    count = draw(st.integers(min_value=2, max_value=8))
    if kind == SINGLE:
        right = draw(st.integers(min_value=0, max_value=count - 1))
        weights = [Fraction(100) if index == right else Fraction(0) for index in range(count)]
    else:
        right_count = draw(st.integers(min_value=1, max_value=count))
        weights = [Fraction(100, right_count)] * right_count
        if right_count < count:
            weights += [Fraction(-100, count - right_count)] * (count - right_count)
        weights = draw(st.permutations(weights))
    return tuple(
        InterchangeChoice(draw(texts), Decimal(percent_text(weight)), draw(optional_texts)) for weight in weights
    )


@st.composite
def questions(draw):
    kind = draw(st.sampled_from([SINGLE, MULTIPLE, TRUE_FALSE]))
    return InterchangeQuestion(
        key=draw(st.just("") | slugs),
        name=draw(optional_texts),
        kind=kind,
        text=draw(texts),
        general_feedback=draw(optional_texts),
        points=draw(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1000"), places=2)),
        category=draw(categories),
        tags=tuple(tag for tag in draw(st.lists(tags, max_size=3)) if tag),
        choices=draw(choices(kind)),
        citations=tuple(draw(st.lists(citations, max_size=3))),
    )


question_lists = st.lists(questions(), min_size=1, max_size=4)
