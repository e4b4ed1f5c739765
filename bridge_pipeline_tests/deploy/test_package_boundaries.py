"""Only the Dagster layer and the commands that orchestrate import the meeting sources.

The domains (notifications, speech, drafting, ...) take what they share with the sources from elsewhere:
the Graph and Zoom clients from bridge_pipeline/apis, records such as UntranscribedRecording from models.py.
A domain that imports sources/ again would pull in the sensors' cursors, scans and inbox with it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping

from bridge_pipeline_tests.deploy.paths import REPO, product_sources

SOURCES = "bridge_pipeline.sources"
# Where importing the sources is fine: the sources themselves, the Dagster layer, orchestration and commands.
MAY_IMPORT_SOURCES = (
    "bridge_pipeline/sources/",
    "bridge_pipeline/defs/",
    "bridge_pipeline/definitions.py",
    "bridge_pipeline/pipeline.py",
    "bridge_pipeline/doctor.py",
    "bridge_pipeline/evaluate_negotiations.py",
    "bridge_pipeline/cli.py",
)


def _imported(path: str, text: str) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in the file, at any depth, relative ones resolved; `from a import b`
    yields both a and a.b, since b may be a module."""
    package = path.removesuffix(".py").split("/")[:-1]  # what `from . import` means in the file
    for node in ast.walk(ast.parse(text, filename=path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[: len(package) - (node.level - 1)]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def _offenders(files: Mapping[str, str]) -> list[str]:
    """`path:line imports module` for each import of the sources where MAY_IMPORT_SOURCES does not allow it."""
    found = []
    for path, text in sorted(files.items()):
        if path.startswith(MAY_IMPORT_SOURCES):
            continue
        modules = {}
        for line, module in _imported(path, text):
            if module == SOURCES or module.startswith(SOURCES + "."):
                modules.setdefault(line, module)
        found.extend(f"{path}:{line} imports {module}" for line, module in sorted(modules.items()))
    return found


def test_only_the_dagster_layer_and_the_commands_import_the_sources():
    files = {path.relative_to(REPO).as_posix(): path.read_text() for path in product_sources()}
    assert not _offenders(files), _offenders(files)


def test_the_check_sees_every_form_of_import():
    files = {
        "bridge_pipeline/notifications/a.py": "from bridge_pipeline.sources.days import local_day\n",
        "bridge_pipeline/notifications/b.py": "def f():\n    import bridge_pipeline.sources.scan\n",
        "bridge_pipeline/speech/c.py": "from bridge_pipeline import sources\n",
        "bridge_pipeline/speech/d.py": "from ..sources import base\n",
        "bridge_pipeline/speech/fine.py": "from bridge_pipeline.models import UntranscribedRecording\n",
        "bridge_pipeline/defs/teams/fine.py": "from bridge_pipeline.sources.teams import GraphSource\n",
        "bridge_pipeline/sources/teams/fine.py": "from .source import GraphSource\n",
    }
    assert _offenders(files) == [
        "bridge_pipeline/notifications/a.py:1 imports bridge_pipeline.sources.days",
        "bridge_pipeline/notifications/b.py:2 imports bridge_pipeline.sources.scan",
        "bridge_pipeline/speech/c.py:1 imports bridge_pipeline.sources",
        "bridge_pipeline/speech/d.py:1 imports bridge_pipeline.sources",
    ]
