"""Speech-to-text for recordings that have audio but no transcript."""
