"""Validates Helm values against the Dagster chart's values schema offline.

The chart schema points every Kubernetes type (resources, probes, tolerations, ...) at a remote
`_definitions.json`. Here each such URL resolves to the Kubernetes definitions bundled in the
`kubernetes-validate` wheel, rewritten from `$defs` to the `definitions` layout the chart expects,
so the whole check runs without network.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

K8S_SCHEMA_VERSION = "1.33.0"
_REMOTE_DEFINITIONS = re.compile(r'(https?://[^#"]+_definitions\.json)')


@lru_cache(maxsize=2)
def kubernetes_definitions(version: str = K8S_SCHEMA_VERSION) -> dict:
    import kubernetes_validate

    path = (
        Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{version}-local" / "_definitions.json"
    )
    raw = path.read_text()
    # The bundled file uses `$defs` and refs relative to an /api/ folder; the chart refers to
    # `#/definitions/<type>` inside one document.
    raw = raw.replace("/api/_definitions.json#/$defs/", "#/definitions/").replace('"#/$defs/', '"#/definitions/')
    return {"definitions": json.loads(raw)["$defs"]}


def helm_values_errors(schema: dict, values: dict, k8s_version: str = K8S_SCHEMA_VERSION) -> list[str]:
    """Every schema violation as `path: message`, sorted by path; empty when the values are valid."""
    k8s = kubernetes_definitions(k8s_version)
    urls = set(_REMOTE_DEFINITIONS.findall(json.dumps(schema)))
    registry = Registry().with_resources([(url, Resource(contents=k8s, specification=DRAFT7)) for url in urls])
    validator = jsonschema.validators.validator_for(schema)(schema, registry=registry)
    errors = sorted(validator.iter_errors(values), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]
