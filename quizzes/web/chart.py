"""The geometry of the progress page's chart: plain numbers for quizzes/includes/progress_chart.html."""

from dataclasses import dataclass

WIDTH = 400
HEIGHT = 180
MARGIN = 24
LABEL_SPACE = 56  # room left of the plot for "100 %"
GRID_LEVELS = (0, 50, 100)


@dataclass(frozen=True)
class GridLine:
    level: int
    y: float
    x1: int = LABEL_SPACE
    x2: int = WIDTH - MARGIN
    label_x: int = LABEL_SPACE - 4

    @property
    def label_y(self):
        return self.y + 4


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    attempt: object


# Quizzes are told apart by colour and by the legend's text; beyond these, colours repeat.
SERIES_COLOURS = 6


@dataclass(frozen=True)
class Series:
    """One quiz's attempts: its own line, so different quizzes are never joined into one."""

    title: str
    language: str
    colour: int
    dots: tuple

    @property
    def line(self):
        """The polyline's points, "x,y x,y ..."."""
        return " ".join(f"{dot.x},{dot.y}" for dot in self.dots)


@dataclass(frozen=True)
class ProgressChart:
    grid_lines: tuple
    dots: tuple
    series: tuple
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def first_attempt(self):
        return self.dots[0].attempt

    @property
    def last_attempt(self):
        return self.dots[-1].attempt


def progress_chart(attempts):
    """Where each closed attempt's percent lies on the chart, oldest first (at least one attempt).

    Time runs left to right over all attempts; each quiz is a series of its own.
    """
    plot_width = WIDTH - LABEL_SPACE - MARGIN
    plot_height = HEIGHT - 2 * MARGIN
    count = len(attempts)
    step = plot_width / (count - 1) if count > 1 else 0

    def position(index, value):
        x = LABEL_SPACE + (index * step if count > 1 else plot_width / 2)
        y = MARGIN + plot_height * (1 - float(value) / 100)
        return round(x, 1), round(y, 1)

    dots = tuple(Dot(*position(index, attempt.percent), attempt=attempt) for index, attempt in enumerate(attempts))
    by_quiz = {}
    for dot in dots:
        by_quiz.setdefault(dot.attempt.quiz_id, []).append(dot)
    series = tuple(
        Series(
            title=quiz_dots[0].attempt.quiz.title,
            language=quiz_dots[0].attempt.quiz.language,
            colour=number % SERIES_COLOURS,
            dots=tuple(quiz_dots),
        )
        for number, quiz_dots in enumerate(by_quiz.values())
    )
    return ProgressChart(
        grid_lines=tuple(GridLine(level=level, y=position(0, level)[1]) for level in GRID_LEVELS),
        dots=dots,
        series=series,
    )
