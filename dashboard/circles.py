"""Where each supporter's dot goes in the circles-of-support picture.

Plain geometry, no Django. The picture is a square of `SIZE` units with "you" in the middle and three
bands around it: the inner, middle and outer circle. Dots sit on tracks (concentric rings) inside their
band, spread evenly around each track. All dots share one size: the largest at which everyone fits,
with a band growing extra tracks (and pushing the bands outside it outwards) when it holds many
people. When even the smallest dots cannot hold everyone, a band's last dot becomes a "+N more" group.

No two dots ever overlap, by construction: neighbours on a track are at least one dot apart, tracks
are at least one dot apart, and every dot stays inside its own band.
"""

import math
from dataclasses import dataclass

CIRCLES = ("inner", "middle", "outer")
SIZE = 400
CENTRE = SIZE / 2
YOU_RADIUS = 30
OUTER_EDGE = 196
# Space between the edges of two neighbouring dots, and between a dot and its band's edge.
GAP = 3


@dataclass(frozen=True)
class DotSize:
    radius: float
    font_size: float  # 0 when the dot is too small for a label; it keeps its title and link.


# Largest first. Labels never go below 11 units: about 9.5 px on a 375 px phone, 13 px on a laptop.
DOT_SIZES = (DotSize(20, 15), DotSize(16, 13), DotSize(13, 11), DotSize(10, 0), DotSize(7, 0))


@dataclass(frozen=True)
class Dot:
    """One dot. `item` is what was placed there, or None for a "+N more" group of `hidden_count`."""

    item: object
    x: float
    y: float
    radius: float
    font_size: float
    hidden_count: int = 0


@dataclass(frozen=True)
class Picture:
    edges: list  # Band boundaries from the middle outwards: [YOU_RADIUS, inner/middle, middle/outer, outer].
    dots: dict  # {"inner": [Dot, ...], "middle": [...], "outer": [...]}
    size: DotSize


def tracks_in(start, end, radius):
    """Radii of the tracks that a band from `start` to `end` holds for dots of this radius, outermost first."""
    pitch = 2 * radius + GAP
    first, last = start + GAP + radius, end - GAP - radius
    if last < first:
        return []
    count = int((last - first) // pitch) + 1
    slack = (last - first) - (count - 1) * pitch
    return [first + slack / 2 + index * pitch for index in reversed(range(count))]


def track_capacity(track_radius, radius):
    """How many dots of this radius fit around a track without touching."""
    pitch = 2 * radius + GAP
    if 2 * track_radius <= pitch:
        return 1
    # Two neighbours a fraction 1/n of a turn apart are a chord 2R sin(pi/n) apart, which must be >= pitch.
    return int(math.pi / math.asin(pitch / (2 * track_radius)))


def band_width(track_count, radius):
    return GAP + track_count * (2 * radius + GAP)


def edges_for(widths):
    """Stack bands of these minimum widths outwards from "you", sharing out the room left equally."""
    spare = (OUTER_EDGE - YOU_RADIUS - sum(widths)) / len(widths)
    edges = [YOU_RADIUS]
    for width in widths:
        edges.append(edges[-1] + width + spare)
    edges[-1] = OUTER_EDGE
    return edges


def capacities_for(edges, radius):
    return [
        sum(track_capacity(track, radius) for track in tracks_in(edges[index], edges[index + 1], radius))
        for index in range(len(CIRCLES))
    ]


def plan(counts, size, *, best_effort=False):
    """Band edges at which `counts` people per band fit with dots of `size`, or None when they don't.

    With `best_effort`, give the most crowded bands as many tracks as the picture has room for instead.
    """
    track_counts = [1, 1, 1]
    while True:
        widths = [band_width(tracks, size.radius) for tracks in track_counts]
        # Capacities at the tightest stacking: sharing out the spare room only moves tracks outwards.
        tight = [YOU_RADIUS]
        for width in widths:
            tight.append(tight[-1] + width)
        capacities = capacities_for(tight, size.radius)
        shortfalls = [count / capacity for count, capacity in zip(counts, capacities, strict=True)]
        if max(shortfalls) <= 1:
            return edges_for(widths)
        neediest = shortfalls.index(max(shortfalls))
        track_counts[neediest] += 1
        if sum(band_width(tracks, size.radius) for tracks in track_counts) > OUTER_EDGE - YOU_RADIUS:
            return edges_for(widths) if best_effort else None


def spread(items, tracks, radius, font_size, start_degrees, hidden=0):
    """Dots for `items` over `tracks`, each track's share in proportion to its capacity, and one
    "+N more" dot for `hidden` people left out (more join it when the tracks cannot hold everyone)."""
    capacities = [track_capacity(track, radius) for track in tracks]
    total = sum(capacities)
    if len(items) + (1 if hidden else 0) > total:
        hidden += len(items) - (total - 1)
        items = items[: total - 1]
    count = len(items) + (1 if hidden else 0)
    shares = [min(capacity, count * capacity // total) for capacity in capacities]
    index = 0
    while sum(shares) < count:
        if shares[index] < capacities[index]:
            shares[index] += 1
        index = (index + 1) % len(shares)
    # Fill the positions in order of angle across all tracks, so people given one after another (the
    # same kind of support) sit together in a wedge rather than scattered over several rings.
    positions = sorted(
        (
            (position / share, -track)
            for track, share in zip(tracks, shares, strict=True)
            for position in range(share)
        ),
    )
    dots = []
    queue = list(items)
    for turn, negative_track in positions:
        angle = math.radians(start_degrees + 360 * turn)
        x = round(CENTRE - negative_track * math.cos(angle), 2)
        y = round(CENTRE - negative_track * math.sin(angle), 2)
        if queue:
            dots.append(Dot(queue.pop(0), x, y, radius, font_size))
        else:
            dots.append(Dot(None, x, y, radius, font_size, hidden_count=hidden))
    return dots


def picture(items_by_circle, hidden_by_circle=None):
    """Lay out {"inner": [...], "middle": [...], "outer": [...]} (each list in the order to place them),
    with a "+N more" dot in a band for the {circle: N} people of `hidden_by_circle` not given."""
    hidden_by_circle = hidden_by_circle or {}
    counts = [
        len(items_by_circle.get(circle, [])) + (1 if hidden_by_circle.get(circle) else 0)
        for circle in CIRCLES
    ]
    for size in DOT_SIZES:
        edges = plan(counts, size)
        if edges:
            break
    else:
        size = DOT_SIZES[-1]
        edges = plan(counts, size, best_effort=True)
    dots = {}
    for index, circle in enumerate(CIRCLES):
        tracks = tracks_in(edges[index], edges[index + 1], size.radius)
        items = list(items_by_circle.get(circle, []))
        hidden = hidden_by_circle.get(circle, 0)
        # Each band starts a third of a turn on from the one inside it, so a small network is spread around.
        dots[circle] = (
            spread(items, tracks, size.radius, size.font_size, -90 + 120 * index, hidden)
            if items or hidden
            else []
        )
    return Picture(edges=edges, dots=dots, size=size)
