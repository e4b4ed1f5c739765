"""parsing stage."""
