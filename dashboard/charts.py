"""What the dashboard's two SVG pictures draw: plain numbers and words, so templates only loop.

The support-type colours live in static/css/site.css (`.type-emotional`, ...), so they are chosen once.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from contacts.models import Circle
from dashboard import circles


def svg_number(value):
    """A coordinate for an SVG attribute: a dot as decimal mark whatever the locale, at most 2 decimals."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


CIRCLE_WORDS = {
    Circle.INNER: _("inner circle"),
    Circle.MIDDLE: _("middle circle"),
    Circle.OUTER: _("outer circle"),
}


@dataclass
class SvgDot:
    """One dot, its numbers already written out for the SVG."""

    x: str
    y: str
    radius: str
    marker_radius: str  # the dashed ring around someone not in touch for a while
    font_size: str  # "" when the dot is too small for a label
    label: str
    title: str
    href: str
    css_class: str
    is_overdue: bool

    def markup(self):
        """The dot as SVG. Written here rather than in the template: a network of 300 people draws
        300 dots, and Django's template engine made them most of the page's time."""
        ring = (
            format_html(
                '<circle class="overdue-ring" cx="{}" cy="{}" r="{}"/>', self.x, self.y, self.marker_radius
            )
            if self.is_overdue
            else ""
        )
        label = (
            format_html(
                '<text class="dot-label" x="{}" y="{}" dy="0.35em" font-size="{}">{}</text>',
                self.x,
                self.y,
                self.font_size,
                self.label,
            )
            if self.font_size
            else ""
        )
        return format_html(
            '<a href="{}" tabindex="-1"><title>{}</title>{}<circle class="dot {}" cx="{}" cy="{}" r="{}"/>{}</a>',
            self.href,
            self.title,
            ring,
            self.css_class,
            self.x,
            self.y,
            self.radius,
            label,
        )


def svg_dot(dot, **fields):
    return SvgDot(
        x=svg_number(dot.x),
        y=svg_number(dot.y),
        radius=svg_number(dot.radius),
        marker_radius=svg_number(dot.radius + 2.5),
        font_size=svg_number(dot.font_size) if dot.font_size else "",
        **fields,
    )


@dataclass
class SvgRing:
    radius: str
    css_class: str


def circle_picture(picture):
    """Dots and rings for the circles picture (dots carry overview.PersonDot), each saying who it is in words too."""
    dots = []
    for circle, placed in picture.dots.items():
        for dot in placed:
            if dot.item is None:
                dots.append(
                    svg_dot(
                        dot,
                        label=f"+{dot.hidden_count}",
                        title=ngettext(
                            "and %(count)d more in your %(circle)s",
                            "and %(count)d more in your %(circle)s",
                            dot.hidden_count,
                        )
                        % {"count": dot.hidden_count, "circle": CIRCLE_WORDS[circle]},
                        href=f"{reverse('contacts:list')}?circle={circle}",
                        css_class="dot-group",
                        is_overdue=False,
                    )
                )
                continue
            person = dot.item
            dots.append(
                svg_dot(
                    dot,
                    label=person.initials,
                    title=(
                        gettext("%(name)s: %(kinds)s support, it has been a while since you were in touch")
                        if person.is_overdue
                        else gettext("%(name)s: %(kinds)s support")
                    )
                    % {"name": person.name, "kinds": person.kinds},
                    href=person.url,
                    css_class=f"type-{person.main_type}",
                    is_overdue=person.is_overdue,
                )
            )
    edges = picture.edges
    rings = [
        SvgRing(svg_number(edges[index + 1]), f"band band-{circle}")
        for index, circle in enumerate(circles.CIRCLES)
    ]
    # Drawn largest first, so each smaller band sits on top of the one around it.
    rings.reverse()
    return {
        "size": circles.SIZE,
        "centre": svg_number(circles.CENTRE),
        "you_radius": svg_number(circles.YOU_RADIUS),
        "rings": rings,
        "dots": dots,
    }


@dataclass
class Bar:
    x: str
    y: str
    width: str
    height: str
    count: int
    label_x: str
    label_y: str
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
                x=svg_number(x),
                y=svg_number(CHART_BOTTOM - height),
                width=svg_number(width),
                height=svg_number(height),
                count=week.count,
                label_x=svg_number(x + width / 2),
                label_y=svg_number(CHART_BOTTOM - height - 5),
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
