"""Small server-rendered SVG charts: one panel per series, all on the same months."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from wellbeing.models import LSNS_ISOLATION_BELOW

WIDTH = 320
HEIGHT = 150
LEFT = 30
RIGHT = 8
TOP = 12
BOTTOM = 26


@dataclass
class Panel:
    key: str
    title: str
    description: str
    kind: str  # "line" or "bars"
    y_min: int
    y_max: int
    ticks: list = field(default_factory=list)
    marks: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    line_points: str = ""
    threshold: dict | None = None
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM


def scale_y(value, y_min, y_max):
    span = (y_max - y_min) or 1
    return round(HEIGHT - BOTTOM - (value - y_min) / span * (HEIGHT - BOTTOM - TOP), 1)


def panel(*, key, title, description, kind, rows, attribute, y_min, y_max, ticks, threshold=None):
    step = (WIDTH - LEFT - RIGHT) / len(rows)
    result = Panel(key=key, title=title, description=description, kind=kind, y_min=y_min, y_max=y_max)
    result.ticks = [{"value": tick, "y": scale_y(tick, y_min, y_max)} for tick in ticks]
    points = []
    for index, row in enumerate(rows):
        centre = round(LEFT + step * index + step / 2, 1)
        value = getattr(row, attribute)
        # Label every other month, counting back from this one, so twelve fit a phone; January shows its year.
        if (len(rows) - 1 - index) % 2 == 0:
            text = row.month_on.strftime("%b") if row.month_on.month != 1 else row.month_on.strftime("%Y")
            result.labels.append({"x": centre, "text": text})
        if value is None:
            continue
        y = scale_y(value, y_min, y_max)
        mark = {"x": centre, "y": y, "value": value, "month": row.month_on.strftime("%B %Y")}
        if kind == "bars":
            mark["bar_x"] = round(centre - step * 0.3, 1)
            mark["bar_width"] = round(step * 0.6, 1)
            mark["bar_height"] = round(HEIGHT - BOTTOM - y, 1)
        result.marks.append(mark)
        points.append(f"{centre},{y}")
    result.line_points = " ".join(points)
    if threshold is not None:
        result.threshold = {"y": scale_y(threshold["value"], y_min, y_max), "label": threshold["label"]}
    return result


def nice_max(values, minimum=4):
    top = max([*values, minimum])
    return top + (-top % 2)


def trend_panels(rows):
    """Four panels: two self-check scores, then the network's own activity over the same months."""
    people_max = nice_max(row.people_in_touch for row in rows)
    check_ins_max = nice_max(row.check_ins for row in rows)
    feelings = [
        panel(
            key="ucla",
            title=_("How lonely I've felt"),
            description=_("Lower means feeling less lonely."),
            kind="line",
            rows=rows,
            attribute="ucla_score",
            y_min=3,
            y_max=9,
            ticks=[3, 6, 9],
        ),
        panel(
            key="lsns",
            title=_("People I can turn to"),
            description=_(
                "Higher means more people to turn to. Below the dashed line, research sees a risk "
                "of becoming cut off."
            ),
            kind="line",
            rows=rows,
            attribute="lsns_score",
            y_min=0,
            y_max=30,
            ticks=[0, LSNS_ISOLATION_BELOW, 30],
            threshold={"value": LSNS_ISOLATION_BELOW, "label": str(LSNS_ISOLATION_BELOW)},
        ),
    ]
    network = [
        panel(
            key="people",
            title=_("Supporters I was in touch with"),
            description=_("Different people you logged a check-in with each month."),
            kind="bars",
            rows=rows,
            attribute="people_in_touch",
            y_min=0,
            y_max=people_max,
            ticks=[0, people_max // 2, people_max],
        ),
        panel(
            key="check-ins",
            title="Check-ins",
            description=_("Check-ins you logged each month."),
            kind="bars",
            rows=rows,
            attribute="check_ins",
            y_min=0,
            y_max=check_ins_max,
            ticks=[0, check_ins_max // 2, check_ins_max],
        ),
    ]
    return feelings, network
