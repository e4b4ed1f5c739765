"""Retention: the job and schedule that delete raw recordings and transcripts older than BRIDGE_RETENTION_DAYS."""
