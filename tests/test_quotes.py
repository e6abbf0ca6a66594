"""The quote rule: verbatim after normalising whitespace and quotation marks, and the closest passage."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from hypothesis import given, settings as hypothesis_settings
from hypothesis import strategies as st

from quizzes.quotes import closest_passage, normalised, occurs_verbatim

SOURCES = yaml.safe_load((Path(settings.BASE_DIR) / "fixtures" / "00-sources.yaml").read_text(encoding="utf-8"))
ARTICLE = SOURCES[0]["fields"]["text"]
WORDS = ARTICLE.split()
QUOTE_STYLES = ['"', "„", "“", "”", "«", "»", "'", "’"]


def test_a_quote_with_other_spaces_and_quotation_marks_occurs():
    assert occurs_verbatim("„Ich bin ein   Optimist“,\nfügte er", 'Er sagte: "Ich bin ein Optimist", fügte er hinzu.')


@pytest.mark.parametrize("quote", ["Ich bin Optimist", "ich bin ein Optimist", "Ich bin ein Optimisten", "", "   "])
def test_a_changed_word_letter_or_an_empty_quote_does_not_occur(quote):
    assert not occurs_verbatim(quote, 'Er sagte: "Ich bin ein Optimist", fügte er hinzu.')


def test_the_closest_passage_is_what_the_text_says_where_the_quote_went_wrong():
    text = "Parler ging offline. Amazon habe die Plattform nach eigenen Aussagen mehrfach gewarnt, hieß es."
    assert closest_passage("Amazon hat die Plattform nach eigener Aussage oft gewarnt", text) == (
        "Amazon habe die Plattform nach eigenen Aussagen mehrfach gewarnt,")


def test_the_closest_passage_of_an_empty_text_is_empty():
    assert closest_passage("Anything", "") == ""


slices = st.integers(min_value=0, max_value=len(WORDS) - 1).flatmap(
    lambda start: st.tuples(st.just(start), st.integers(min_value=1, max_value=min(25, len(WORDS) - start)))
)


# The machine is shared: a slow first call is not a failure of the rule.
@hypothesis_settings(deadline=None)
@given(slices, st.lists(st.sampled_from([" ", "\n", "  ", "\t"]), min_size=25, max_size=25),
       st.sampled_from(QUOTE_STYLES))
def test_any_passage_of_the_article_retyped_occurs_and_is_its_own_closest_passage(span, spaces, mark):
    start, length = span
    words = [word.replace('"', mark) for word in WORDS[start:start + length]]
    quote = "".join(word + space for word, space in zip(words, spaces)).strip()

    assert occurs_verbatim(quote, ARTICLE)
    assert normalised(closest_passage(quote, ARTICLE)) == normalised(" ".join(WORDS[start:start + length]))


@hypothesis_settings(deadline=None)
@given(slices)
def test_a_passage_with_one_word_changed_does_not_occur_and_its_closest_passage_is_found(span):
    start, length = span
    words = WORDS[start:start + max(length, 6)]
    changed = [*words[:-1], words[-1] + "xq"]

    assert not occurs_verbatim(" ".join(changed), ARTICLE)
    found = closest_passage(" ".join(changed), ARTICLE).split()
    assert len(set(found) & set(words)) >= len(words) // 2
