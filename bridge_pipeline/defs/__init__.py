"""The Dagster layer: partitions, resources, assets, checks, jobs. Thin wrappers over bridge_pipeline.pipeline."""
