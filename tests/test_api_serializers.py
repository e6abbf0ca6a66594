"""Output serializers of plain shapes give exactly what DRF's generic field walk gives."""

import datetime
from decimal import Decimal

import pytest
from rest_framework import serializers as drf

from quizzes.api import serializers
from quizzes.selectors import (
    ChoiceFeedback,
    CitationShown,
    QuestionResult,
    ShownChoice,
    ShownQuestion,
    SourceShown,
)
from tests.serializer_walk import generic_representation


def choices():
    return (ShownChoice(id=3, text="Amazon Web Services"), ShownChoice(id=4, text="Google"))


REVEALED = QuestionResult(
    question=7,
    kind="multiple",
    text="Who took Parler offline?",
    points=Decimal("2.5"),
    choices=choices(),
    selected=(3,),
    score=Decimal("1.25"),
    correct=(3, 4),
    explanation="Both, the articles say.",
    feedback=(ChoiceFeedback(choice=3, text="Right: the hosting."),),
    citations=(
        CitationShown(
            quote="Amazon stellte den Dienst ein.",
            translation="",
            note="",
            source=SourceShown(
                title="Parler offline", publisher="dpa", language="de", published=datetime.date(2021, 1, 11), url=""
            ),
        ),
        CitationShown(
            quote="Google entfernte die App.",
            translation="Google removed the app.",
            note="A correction.",
            source=SourceShown(title="Apps", publisher="Reuters", language="de", published=None, url="https://x.test"),
        ),
    ),
)
HIDDEN = QuestionResult(
    question=8,
    kind="single",
    text="When?",
    points=Decimal("1"),
    choices=choices(),
    selected=(),
    score=Decimal("0"),
    correct=None,
    explanation=None,
    feedback=None,
    citations=None,
)


@pytest.mark.parametrize("result", [REVEALED, HIDDEN], ids=["revealed", "hidden"])
def test_a_question_result_is_represented_as_drf_would(result):
    lean = serializers.QuestionResultSerializer(result).data

    assert lean == generic_representation(serializers.QuestionResultSerializer, result)
    assert lean["points"] == ("2.50" if result is REVEALED else "1.00")


def test_a_shown_question_is_represented_as_drf_would_and_carries_nothing_about_correctness():
    question = ShownQuestion(id=5, kind="true_false", text="Parler sued Amazon?", points=Decimal("1.00"), choices=choices())

    lean = serializers.QuestionSerializer(question).data

    assert lean == generic_representation(serializers.QuestionSerializer, question)
    assert set(lean) == {"id", "kind", "text", "points", "choices"}
    assert lean["choices"] == [{"id": 3, "text": "Amazon Web Services"}, {"id": 4, "text": "Google"}]


def test_a_list_of_shapes_is_represented_item_by_item():
    lean = serializers.ChoiceSerializer(choices(), many=True).data

    assert lean == [generic_representation(serializers.ChoiceSerializer, choice) for choice in choices()]


def test_a_shape_serializer_refuses_a_field_that_reads_another_attribute():
    class Misdeclared(serializers.ShapeSerializer):
        title = drf.CharField(source="quiz.title")

    with pytest.raises(TypeError, match="Misdeclared"):
        Misdeclared(ShownChoice(id=1, text="x")).data
