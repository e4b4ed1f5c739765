"""The security suite reuses the operations tests' S3 emulator (moto's server mode on 127.0.0.1)."""

from bridge_pipeline_tests.ops.conftest import moto_server  # noqa: F401  (a fixture)
