"""Decisions and action items out of transcripts: the extractor interface, the offline rules and their scoring."""
