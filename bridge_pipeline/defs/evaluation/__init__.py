"""Evaluation: how well the configured extractor does against labelled meetings (not part of the line's job)."""
