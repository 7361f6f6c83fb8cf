"""What the dashboard's two SVG pictures draw: plain numbers and words, so templates only loop.

The support-type colours live in static/css/site.css (`.type-emotional`, ...), so they are chosen once.
"""

from dataclasses import dataclass

from django.urls import reverse

from contacts.models import Circle
from dashboard import circles

CIRCLE_WORDS = {Circle.INNER: "inner circle", Circle.MIDDLE: "middle circle", Circle.OUTER: "outer circle"}


@dataclass
class SvgDot:
    x: float
    y: float
    radius: float
    font_size: float
    label: str
    title: str
    href: str
    css_class: str
    is_overdue: bool
    is_group: bool = False

    @property
    def marker_radius(self):
        return self.radius + 2.5


@dataclass
class SvgRing:
    radius: float
    css_class: str


def circle_picture(picture, overdue_ids):
    """Dots and rings for the circles picture, each dot saying who it is in words too."""
    dots = []
    for circle, placed in picture.dots.items():
        for dot in placed:
            if dot.item is None:
                dots.append(
                    SvgDot(
                        x=dot.x,
                        y=dot.y,
                        radius=dot.radius,
                        font_size=dot.font_size,
                        label=f"+{dot.hidden_count}",
                        title=f"and {dot.hidden_count} more in your {CIRCLE_WORDS[circle]}",
                        href=f"{reverse('contacts:list')}?circle={circle}",
                        css_class="dot-group",
                        is_overdue=False,
                        is_group=True,
                    )
                )
                continue
            supporter = dot.item
            is_overdue = supporter.id in overdue_ids
            kinds = ", ".join(kind.label.lower() for kind in supporter.support_types)
            dots.append(
                SvgDot(
                    x=dot.x,
                    y=dot.y,
                    radius=dot.radius,
                    font_size=dot.font_size,
                    label=supporter.initials,
                    title=f"{supporter.name}: {kinds} support"
                    + (", it has been a while since you were in touch" if is_overdue else ""),
                    href=reverse("contacts:detail", args=[supporter.id]),
                    css_class=f"type-{supporter.main_support_type.value}",
                    is_overdue=is_overdue,
                )
            )
    edges = picture.edges
    rings = [SvgRing(edges[index + 1], f"band band-{circle}") for index, circle in enumerate(circles.CIRCLES)]
    # Drawn largest first, so each smaller band sits on top of the one around it.
    rings.reverse()
    return {
        "size": circles.SIZE,
        "centre": circles.CENTRE,
        "you_radius": circles.YOU_RADIUS,
        "rings": rings,
        "dots": dots,
        "has_labels": picture.size.font_size > 0,
    }


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label_x: float
    label_y: float
    starts_on: object


CHART_WIDTH = 360
CHART_HEIGHT = 150
CHART_TOP = 18  # room for the count above the tallest bar
CHART_BOTTOM = 126  # the baseline; week labels go below it


def bar_chart(weeks):
    """Bars for check-ins per week. Every bar gets a few units of height, so an empty week still shows."""
    slot = CHART_WIDTH / len(weeks)
    width = slot * 0.62
    tallest = max((week.count for week in weeks), default=0) or 1
    bars = []
    for index, week in enumerate(weeks):
        height = max(2.0, (CHART_BOTTOM - CHART_TOP) * week.count / tallest)
        x = index * slot + (slot - width) / 2
        bars.append(
            Bar(
                x=round(x, 2),
                y=round(CHART_BOTTOM - height, 2),
                width=round(width, 2),
                height=round(height, 2),
                count=week.count,
                label_x=round(x + width / 2, 2),
                label_y=round(CHART_BOTTOM - height - 5, 2),
                starts_on=week.starts_on,
            )
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_BOTTOM,
        "bars": bars,
        "first": bars[0],
        "last": bars[-1],
        "axis_label_y": CHART_BOTTOM + 17,
    }
