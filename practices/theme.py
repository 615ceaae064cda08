"""Brand colours as CSS custom properties, checked against WCAG 2.1 AA.

The design system in platform/static/css uses `--brand-*` properties; a practice's
brand is applied by a small per-site stylesheet, so no asset is ever rebuilt.
"""

from __future__ import annotations

import hashlib
import re

from django.core.exceptions import ValidationError

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
BLACK = "#000000"
AA_NORMAL_TEXT = 4.5

# System font stacks only: no third-party font hosts (privacy, CSP, speed).
FONT_STACKS = {
    "system-sans": (
        'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
    ),
    "humanist": (
        'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif'
    ),
    "rounded": (
        'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, '
        '"Arial Rounded MT", Calibri, sans-serif'
    ),
    "classic-serif": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif',
}
FONT_CHOICES = [
    ("system-sans", "System sans-serif"),
    ("humanist", "Humanist sans-serif"),
    ("rounded", "Rounded"),
    ("classic-serif", "Classic serif"),
]


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with the background (always >= 4.5:1)."""
    return (
        WHITE if contrast_ratio(background, WHITE) >= contrast_ratio(background, BLACK) else BLACK
    )


def validate_hex_colour(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(f"'{value}' is not a colour in #rrggbb form.")


def validate_primary_colour(value: str) -> None:
    """The primary colour is also the link colour on white: it must reach AA on white."""
    validate_hex_colour(value)
    ratio = contrast_ratio(value, WHITE)
    if ratio < AA_NORMAL_TEXT:
        raise ValidationError(
            f"{value} has a contrast of {ratio:.2f}:1 on white; links and headings need at "
            f"least {AA_NORMAL_TEXT}:1 (WCAG 2.1 AA). Choose a darker shade."
        )


def theme_css(primary: str, secondary: str, font: str) -> str:
    """The stylesheet that brands a practice; every pair it sets passes AA."""
    return (
        ":root{"
        f"--brand-primary:{primary};"
        f"--brand-on-primary:{readable_text_colour(primary)};"
        f"--brand-secondary:{secondary};"
        f"--brand-on-secondary:{readable_text_colour(secondary)};"
        f"--brand-font:{FONT_STACKS.get(font, FONT_STACKS['system-sans'])};"
        "}\n"
    )


def theme_version(css: str) -> str:
    return hashlib.sha256(css.encode()).hexdigest()[:12]
