"""`python -m bridge_pipeline.evaluate` scores an extractor and writes a CSV and a chart."""

from __future__ import annotations

import csv

from bridge_pipeline.evaluate import evaluate, load_labelled_meetings, main
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline_tests.llm.labelled import write_labelled_meetings


def test_loader_reads_only_folders_with_transcript_and_labels(tmp_path):
    meetings = load_labelled_meetings(write_labelled_meetings(tmp_path / "data"))
    assert [m.info.meeting_id for m in meetings] == ["demo_2026-05-14_001", "other_2026-05-15_002"]
    assert meetings[0].info.partition_date.isoformat() == "2026-05-14"
    assert len(meetings[0].transcript.utterances) == 3


def test_offline_extractor_finds_both_labelled_items(tmp_path):
    report = evaluate(load_labelled_meetings(write_labelled_meetings(tmp_path / "data")), OfflineExtractor())
    total = report.overall
    assert total.references == 4 and total.recall == 1.0 and total.citation_accuracy == 1.0
    assert set(report.by_series) == {"demo", "other"}


def test_command_prints_figures_and_writes_csv_and_png(tmp_path, capsys):
    data = write_labelled_meetings(tmp_path / "data")
    assert main(["--data", str(data), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "overall: recall 1.000" in printed and "per series" in printed and "demo_2026-05-14_001" in printed
    table = list(csv.DictReader((tmp_path / "out" / "evaluation_offline-rules_2.csv").open(encoding="utf-8")))
    assert [row["level"] for row in table] == ["meeting", "meeting", "series", "series", "overall"]
    assert table[-1]["citation_accuracy"] == "1.0"
    assert (tmp_path / "out" / "evaluation_offline-rules_2.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_command_reports_a_missing_folder(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "absent")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_openai_extractor_runs_through_the_command_against_the_fake(fake, tmp_path, monkeypatch, capsys):
    from bridge_pipeline.sandbox.openai_fake import DEFAULT_API_KEY

    monkeypatch.setenv("OPENAI_API_KEY", DEFAULT_API_KEY)
    monkeypatch.setenv("BRIDGE_DATA_DIR", str(tmp_path / "bridge_data"))
    data = write_labelled_meetings(tmp_path / "data")
    code = main(["--data", str(data), "--extractor", "openai", "--base-url", fake.api_base_url, "--out", str(tmp_path / "out")])
    assert code == 0 and fake.calls() == 2
    assert "extractor: openai/gpt-5.4-mini/" in capsys.readouterr().out
