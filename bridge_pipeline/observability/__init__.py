"""Operational signals of the line: structured JSON logs, the metric tallies runs record and the /metrics exporter."""
