"""Observability: stage instrumentation, latency SLO check builders, the freshness policy, and the metrics
exporter's reader of the event log (event_log_metrics).

No definitions of its own: the meeting line wraps its stages and picks its SLO checks with these pieces,
and bridge_pipeline.definitions applies the freshness policy by selection.
"""
