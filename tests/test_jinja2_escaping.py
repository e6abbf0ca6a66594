"""The Jinja2 pages escape every printed value exactly as Django's templates do (same entities)."""

from decimal import Decimal

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from quizzes.web.jinja2_environment import escape_as_django_does


@given(st.text())
def test_text_is_escaped_as_django_escapes_it(text):
    assert str(escape_as_django_does(text)) == str(conditional_escape(text))


@given(st.one_of(st.integers(), st.booleans(), st.none(), st.decimals(allow_nan=False), st.floats(allow_nan=False)))
def test_other_values_print_as_django_prints_them(value):
    assert str(escape_as_django_does(value)) == str(conditional_escape(value))


def test_markup_is_kept_as_it_is():
    assert escape_as_django_does(mark_safe("<b>&amp;</b>")) == "<b>&amp;</b>"
    assert escape_as_django_does(Markup("<i>x</i>")) == "<i>x</i>"


def test_lazy_translations_and_decimals_are_escaped():
    assert escape_as_django_does(gettext_lazy("<x>")) == "&lt;x&gt;"
    assert escape_as_django_does(Decimal("1.50")) == "1.50"


def test_a_page_writes_djangos_entities():
    from django.template import engines

    template = engines["jinja2"].from_string("{{ text }}|{{ number }}")
    assert template.render({"text": "\"it's\" <b>", "number": 3}) == "&quot;it&#x27;s&quot; &lt;b&gt;|3"
