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


@dataclass(frozen=True)
class ProgressChart:
    grid_lines: tuple
    dots: tuple
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def line(self):
        """The polyline's points, "x,y x,y ..."."""
        return " ".join(f"{dot.x},{dot.y}" for dot in self.dots)

    @property
    def first_attempt(self):
        return self.dots[0].attempt

    @property
    def last_attempt(self):
        return self.dots[-1].attempt


def progress_chart(attempts):
    """Where each closed attempt's percent lies on the chart, oldest first (at least one attempt)."""
    plot_width = WIDTH - LABEL_SPACE - MARGIN
    plot_height = HEIGHT - 2 * MARGIN
    count = len(attempts)
    step = plot_width / (count - 1) if count > 1 else 0

    def position(index, value):
        x = LABEL_SPACE + (index * step if count > 1 else plot_width / 2)
        y = MARGIN + plot_height * (1 - float(value) / 100)
        return round(x, 1), round(y, 1)

    return ProgressChart(
        grid_lines=tuple(GridLine(level=level, y=position(0, level)[1]) for level in GRID_LEVELS),
        dots=tuple(
            Dot(*position(index, attempt.percent), attempt=attempt) for index, attempt in enumerate(attempts)
        ),
    )
