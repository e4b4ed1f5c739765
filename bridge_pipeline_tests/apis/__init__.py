"""Tests for what the Graph and Zoom clients share."""
