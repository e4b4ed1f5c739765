from __future__ import annotations

import re

import pytest

from bridge_pipeline.errors import BadInputError
from bridge_pipeline.rendering.filenames import MAX_STEM, export_filename

SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(docx|pdf|md|json)$")
HOSTILE_IDS = [
    "../../etc/passwd",
    "CON",
    "nul",
    "a/b\\c:d*?",
    'quote"<pipe>|',
    "Łódź kick-off 😀🚀",
    "x" * 500,
    "",
    "...",
    "tab\tnew\nline\x00null",
    "com1.txt",
]


@pytest.mark.parametrize("document_id", HOSTILE_IDS)
def test_export_filename_is_safe_for_hostile_ids(document_id):
    name = export_filename(document_id, "pdf")
    stem = name.rsplit(".", 1)[0]
    assert SAFE_NAME.match(name), name
    assert ".." not in name and "/" not in name and "\\" not in name
    assert stem not in {"con", "nul", "prn", "aux", "com1"}  # Windows reserves these exact stems
    assert len(stem) <= MAX_STEM


def test_safe_ids_keep_their_name():
    assert export_filename("zoom-2026-03-05-acme-nordlys-nda", "docx") == "zoom-2026-03-05-acme-nordlys-nda.docx"


def test_ids_that_clean_to_the_same_text_still_get_different_names():
    assert export_filename("a/b", "md") != export_filename("a-b", "md")
    assert export_filename("Acme", "md") != export_filename("acme", "md")


def test_polish_and_danish_letters_become_their_ascii_base():
    assert export_filename("Łódź Øresund", "pdf").startswith("lodz-oresund-")


def test_names_are_stable_across_calls():
    assert export_filename("Łódź kick-off 😀", "json") == export_filename("Łódź kick-off 😀", "json")


def test_unknown_format_is_refused():
    with pytest.raises(BadInputError, match="'html'"):
        export_filename("zoom-1", "html")
