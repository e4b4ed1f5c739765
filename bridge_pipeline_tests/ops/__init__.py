"""Production operations: S3, PostgreSQL, observability, health, SLOs."""
