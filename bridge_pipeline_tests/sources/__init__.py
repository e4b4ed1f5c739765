"""Tests for meeting sources and safe names."""
