"""Tests for transcript parsing."""
