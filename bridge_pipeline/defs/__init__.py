"""The Dagster layer, one folder per domain; thin wrappers over bridge_pipeline.pipeline.

meeting_line (partitions, stage assets, checks, job, schedule), teams and zoom (source resources and their
sensors), inbox, language (extractor and speech-to-text resources), storage (project store and blobs),
notifications, evaluation and observability (instrumentation, SLO check builders, freshness policy).
Each domain with definitions has a `definitions.build_defs(...)`; resources_for_environment chooses every
resource from the environment; bridge_pipeline.definitions merges them and applies policy by selection.
"""
