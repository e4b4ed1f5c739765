"""Slugs and file names are ASCII, stable, never empty, and safe on every file system."""

from __future__ import annotations

import pytest

from bridge_pipeline.naming import is_slug, safe_filename, short_digest, slugify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Acme NDA call", "acme-nda-call"),
        ("Café Zürich — Ørsted & Maaß", "cafe-zurich-orsted-and-maass"),
        ("  --Weekly__stand-up!!  ", "weekly-stand-up"),
        ("Łukasz Wróbel", "lukasz-wrobel"),
    ],
)
def test_slugify_transliterates_accents_and_collapses_separators(text, expected):
    assert slugify(text) == expected


@pytest.mark.parametrize("text", ["", "!!!", "会议", "   "])
def test_slugify_is_never_empty(text):
    assert slugify(text) == "untitled"
    assert slugify(text, fallback="meeting") == "meeting"


def test_slugify_cuts_long_text_at_a_word_boundary_within_max_len():
    slug = slugify("quarterly service review with the whole partner team", max_len=30)
    assert slug == "quarterly-service-review-with"
    assert len(slugify("x" * 200, max_len=25)) == 25


def test_is_slug_accepts_only_what_slugify_would_produce():
    assert is_slug("acme-nda-2026")
    assert not is_slug("Acme-nda")
    assert not is_slug("acme--nda")
    assert not is_slug("-acme")
    assert not is_slug("")


def test_short_digest_is_stable_and_tells_similar_names_apart():
    assert short_digest("Acme Call") == short_digest("Acme Call")
    assert short_digest("Acme Call") != short_digest("acme_call")
    assert len(short_digest("x", 12)) == 12


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Acme NDA (v2).DOCX", "acme-nda-v2.docx"),
        ("acme-nda.vtt", "acme-nda.vtt"),
        ("inbox-20260514-acme-nda", "inbox-20260514-acme-nda"),
        ("weekly.meta.json", "weekly-meta.json"),
        ("CON.txt", "con-file.txt"),
        ("nul", "nul-file"),
        ("v1.2 draft", "v1-2-draft"),
        ("../../etc/passwd", "etc-passwd"),
    ],
)
def test_safe_filename_keeps_a_short_extension_and_slugs_the_rest(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_respects_max_len_including_the_extension():
    name = safe_filename("a very long meeting title " * 10 + ".pdf", max_len=40)
    assert len(name) <= 40
    assert name.endswith(".pdf")
