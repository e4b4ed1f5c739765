"""Every test under faults/ carries the `fault` marker: kept out of `make test`, run by `make test-faults`."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/faults/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.fault)
