"""Draw the PNG and ICO fallbacks of static/img/concord-mark.svg (same geometry): run after changing the mark.

Needs Pillow (a development tool here, not a runtime dependency): .venv/bin/python scripts/draw_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

IMG = Path(__file__).resolve().parent.parent / "static" / "img"
BRAND, WHITE, ACCENT = "#1f4e79", "#ffffff", "#f2a900"


def draw(size: int) -> Image.Image:
    """The mark on a 32-unit grid, drawn at four times the size and scaled down for smooth edges."""
    big = size * 4
    unit = big / 32
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle([0, 0, big - 1, big - 1], radius=7 * unit, fill=BRAND)
    for cx, colour in ((12.5, WHITE), (19.5, ACCENT)):
        r = 7 * unit
        box = [cx * unit - r, 16 * unit - r, cx * unit + r, 16 * unit + r]
        pen.ellipse(box, outline=colour, width=round(2.6 * unit))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    draw(180).save(IMG / "apple-touch-icon.png", optimize=True)
    draw(32).save(IMG / "favicon-32.png", optimize=True)
    draw(48).save(IMG / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
