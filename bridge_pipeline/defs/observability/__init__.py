"""Observability: stage instrumentation, latency SLO check builders and the freshness policy.

No definitions of its own: the meeting line wraps its stages and picks its SLO checks with these pieces,
and bridge_pipeline.definitions applies the freshness policy by selection.
"""
