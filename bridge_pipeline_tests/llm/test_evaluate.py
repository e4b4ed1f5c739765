"""`python -m bridge_pipeline.evaluate` scores an extractor and writes a CSV and a chart."""

from __future__ import annotations

import csv
import json

from bridge_pipeline.evaluate import evaluate, halves_of, load_labelled_meetings, main
from bridge_pipeline.extraction.offline import OfflineExtractor
from bridge_pipeline_tests.llm.labelled import LABELS, write_labelled_meetings

# Sorted by name: a (tuning), b (held-out), c (tuning), d (held-out).
FOUR_MEETINGS = ("d_2026-05-17_004", "b_2026-05-15_002", "a_2026-05-14_001", "c_2026-05-16_003")


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
    from bridge_fakes.openai_fake import DEFAULT_API_KEY

    monkeypatch.setenv("OPENAI_API_KEY", DEFAULT_API_KEY)
    monkeypatch.setenv("BRIDGE_DATA_DIR", str(tmp_path / "bridge_data"))
    data = write_labelled_meetings(tmp_path / "data")
    code = main(["--data", str(data), "--extractor", "openai", "--base-url", fake.api_base_url, "--out", str(tmp_path / "out")])
    assert code == 0 and fake.calls() == 2
    assert "extractor: openai/gpt-5.4-mini/" in capsys.readouterr().out


def write_halves_data(root):
    """Four meetings; the held-out ones get an extra decision label the extractor cannot find."""
    data = write_labelled_meetings(root, names=FOUR_MEETINGS)
    unfindable = {"timestamp": "00:00:11", "decision": "Move the offsite to Lisbon"}
    for name in ("b_2026-05-15_002", "d_2026-05-17_004"):
        labels = {**LABELS, "decisions": [*LABELS["decisions"], unfindable]}
        (data / name / "tldr.json").write_text(json.dumps(labels), encoding="utf-8")
    return data


def test_halves_alternate_by_position_in_name_order():
    assert halves_of(FOUR_MEETINGS + ("e_2026-05-18_005",)) == {
        "a_2026-05-14_001": "tuning",
        "b_2026-05-15_002": "held-out",
        "c_2026-05-16_003": "tuning",
        "d_2026-05-17_004": "held-out",
        "e_2026-05-18_005": "tuning",
    }


def test_halves_flag_prints_each_half_after_the_normal_report(tmp_path, capsys):
    data = write_halves_data(tmp_path / "data")
    assert main(["--data", str(data), "--out", str(tmp_path / "out"), "--halves"]) == 0
    printed = capsys.readouterr().out
    assert "overall: recall 0.800 (decisions 0.667, actions 1.000)" in printed
    tuning = next(line for line in printed.splitlines() if line.startswith("tuning half: "))
    held_out = next(line for line in printed.splitlines() if line.startswith("held-out half: "))
    assert tuning.startswith("tuning half: recall 1.000 (decisions 1.000, actions 1.000)")
    assert tuning.endswith("; 4 references, 4 predictions in 2 meetings")
    assert held_out.startswith("held-out half: recall 0.667 (decisions 0.500, actions 1.000)")
    assert held_out.endswith("; 6 references, 4 predictions in 2 meetings")
    assert printed.index("per meeting") < printed.index("tuning half: ") < printed.index("held-out half: ")


def test_without_the_halves_flag_no_half_lines_are_printed(tmp_path, capsys):
    assert main(["--data", str(write_halves_data(tmp_path / "data")), "--out", str(tmp_path / "out")]) == 0
    assert " half: " not in capsys.readouterr().out


def test_half_option_evaluates_only_that_half_and_names_its_files(tmp_path, capsys):
    data = write_halves_data(tmp_path / "data")
    assert main(["--data", str(data), "--out", str(tmp_path / "out"), "--half", "held-out"]) == 0
    printed = capsys.readouterr().out
    assert "overall: recall 0.667" in printed
    assert "b_2026-05-15_002" in printed and "d_2026-05-17_004" in printed
    assert "a_2026-05-14_001" not in printed and "c_2026-05-16_003" not in printed
    table = list(csv.DictReader((tmp_path / "out" / "evaluation_offline-rules_2_held-out.csv").open(encoding="utf-8")))
    assert [row["name"] for row in table if row["level"] == "meeting"] == ["b_2026-05-15_002", "d_2026-05-17_004"]


def test_half_option_with_halves_flag_prints_only_the_chosen_half(tmp_path, capsys):
    data = write_halves_data(tmp_path / "data")
    assert main(["--data", str(data), "--out", str(tmp_path / "out"), "--half", "tuning", "--halves"]) == 0
    printed = capsys.readouterr().out
    assert "tuning half: recall 1.000" in printed and "held-out half" not in printed


def test_half_without_meetings_is_an_error(tmp_path, capsys):
    data = write_labelled_meetings(tmp_path / "data", names=("only_2026-05-14_001",))
    assert main(["--data", str(data), "--out", str(tmp_path / "out"), "--half", "held-out"]) == 2
    assert "no labelled meetings in" in capsys.readouterr().err
