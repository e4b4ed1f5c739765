"""The fonts the PDF uses (embedded DejaVu Sans from matplotlib's data, standard Asian fallbacks) and what they lack.

reportlab's built-in Helvetica silently prints a box for letters such as "ł" or "Ż", so the PDF
always embeds DejaVu Sans. DejaVu covers Latin, Greek, Cyrillic, Hebrew, Arabic and most symbols,
but not Chinese, Japanese or Korean. Those characters are set in one of Adobe's standard Asian
fonts (HeiseiKakuGo-W5 for Han and kana, HYGothic-Medium for Hangul). Those fonts are named but not
embedded: the text stays real (searchable, copyable) and Acrobat or browser viewers draw it, while a
viewer without Asian fonts shows boxes. Anything else DejaVu lacks prints as an empty box.

`uncovered_characters` (boxes everywhere) and `viewer_font_characters` (depends on the viewer) let
QA report both before anyone relies on the PDF.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from bridge_pipeline.errors import ConfigurationError

REGULAR = "BridgeDejaVuSans"
BOLD = "BridgeDejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
HAN_KANA = "HeiseiKakuGo-W5"
HANGUL = "HYGothic-Medium"
_HANGUL_RANGES = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF))
_HAN_KANA_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
    (0x31F0, 0x31FF),
    (0x3200, 0x33FF),  # enclosed and compatibility forms
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),  # full- and half-width forms
    (0x20000, 0x2FA1F),
)
# Layout characters never drawn as glyphs, so never "missing".
_NOT_DRAWN = frozenset("\n\r\t\u00ad\u200b\u200c\u200d\ufeff")


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path


def _matplotlib_font_dir() -> Path:
    # Find matplotlib's data folder without importing matplotlib (that import pulls in numpy).
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        candidate = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
        if candidate.is_dir():
            return candidate
    try:
        import matplotlib

        return Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    except ImportError as exc:
        raise ConfigurationError("PDF export needs matplotlib installed for its DejaVu Sans fonts") from exc


@functools.cache
def font_files() -> FontFiles:
    folder = _matplotlib_font_dir()
    regular, bold = folder / _FILES[REGULAR], folder / _FILES[BOLD]
    for path in (regular, bold):
        if not path.is_file():
            raise ConfigurationError(f"PDF font not found: {path} (expected in matplotlib's bundled fonts)")
    return FontFiles(regular=regular, bold=bold)


@functools.cache
def register_fonts() -> tuple[str, str]:
    """Registers DejaVu Sans regular and bold with reportlab once per process; returns their names."""
    files = font_files()
    pdfmetrics.registerFont(TTFont(REGULAR, str(files.regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(files.bold)))
    # So <b> inside a Paragraph switches to the bold face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    pdfmetrics.registerFont(UnicodeCIDFont(HAN_KANA))
    pdfmetrics.registerFont(UnicodeCIDFont(HANGUL))
    return REGULAR, BOLD


@functools.cache
def _covered_code_points() -> frozenset[int]:
    register_fonts()
    regular = pdfmetrics.getFont(REGULAR).face.charToGlyph
    bold = pdfmetrics.getFont(BOLD).face.charToGlyph
    return frozenset(regular) & frozenset(bold)


@functools.cache
def _covered_characters() -> frozenset[str]:
    return frozenset(chr(code_point) for code_point in _covered_code_points())


def _in(ranges: tuple[tuple[int, int], ...], code_point: int) -> bool:
    return any(low <= code_point <= high for low, high in ranges)


@functools.lru_cache(maxsize=4096)
def fallback_font(ch: str) -> str | None:
    """The standard Asian font for a character DejaVu lacks, or None (embedded DejaVu, or no font at all)."""
    code_point = ord(ch)
    if code_point in _covered_code_points():
        return None
    if _in(_HANGUL_RANGES, code_point):
        return HANGUL
    if _in(_HAN_KANA_RANGES, code_point):
        return HAN_KANA
    return None


def font_runs(text: str) -> list[tuple[str | None, str]]:
    """`text` cut into (font, piece) runs: font None means the paragraph's own DejaVu face."""
    if text.isascii() or not set(text).difference(_covered_characters()):
        return [(None, text)]
    runs: list[tuple[str | None, str]] = []
    for ch in text:
        font = fallback_font(ch)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def uncovered_characters(text: str) -> set[str]:
    """Characters of `text` no PDF font can draw: they print as an empty box in every viewer."""
    covered = _covered_code_points()
    return {
        ch
        for ch in set(text)
        if ch not in _NOT_DRAWN and ord(ch) not in covered and fallback_font(ch) is None
    }


def viewer_font_characters(text: str) -> set[str]:
    """Characters set in a non-embedded Asian font: they show only where the viewer has Asian fonts."""
    return {ch for ch in set(text) if ch not in _NOT_DRAWN and fallback_font(ch) is not None}
