"""The embedded Unicode font (DejaVu Sans, shipped in resources/fonts)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"

_FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}


def fonts_dir() -> Path:
    return Path(str(files("resources"))) / "fonts"


def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique) with reportlab once."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, fname in _FILES.items():
        if name not in registered:
            path = fonts_dir() / fname
            if not path.is_file():
                raise FileNotFoundError(f"{path}: the PDF font is missing from the installation")
            pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, BOLD)
    addMapping(FONT, 0, 1, ITALIC)
    addMapping(FONT, 1, 1, BOLD)
