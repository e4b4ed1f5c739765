"""The inbox folder as a recording source (a resource only; the meeting line reads it in raw_recordings)."""
