"""Transcript parsing: the bytes of a .vtt, .txt or .json file in, a Transcript out (see transcripts.parse_transcript)."""
