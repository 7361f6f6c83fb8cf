"""Draw the app icons in static/icons/ (run again after changing the design): a person at the centre
joined to three others, white on the site's accent colour. `python scripts/make_icons.py`"""

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = (47, 93, 124, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
SCALE = 4  # draw large and shrink, for smooth edges


def draw(size, *, maskable):
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=ACCENT)
        reach = 0.26  # inside the maskable safe zone (the middle 80%)
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.22, fill=ACCENT)
        reach = 0.31
    centre = big / 2
    others = [
        (centre, centre - reach * big),
        (centre - 0.87 * reach * big, centre + 0.5 * reach * big),
        (centre + 0.87 * reach * big, centre + 0.5 * reach * big),
    ]
    for x, y in others:
        pen.line((centre, centre, x, y), fill=WHITE, width=int(big * 0.035))
    for x, y in others:
        radius = big * 0.075
        pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=WHITE)
    radius = big * 0.11
    pen.ellipse((centre - radius, centre - radius, centre + radius, centre + radius), fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    draw(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
