"""bridge_pipeline: meetings on Teams and Zoom turned into contract drafts a lawyer can review."""

__version__ = "0.1.0"
