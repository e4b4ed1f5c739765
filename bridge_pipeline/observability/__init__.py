"""Operational signals of the line: structured JSON logs, Prometheus metrics and their exporter."""
