"""`python -m bridge_pipeline.evaluate_negotiations` on two tiny labelled calls written by each test."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bridge_fakes.openai_fake import DEFAULT_API_KEY, FakeOpenAIServer
from bridge_pipeline import evaluate_negotiations as ev
from bridge_pipeline.errors import ConfigurationError
from bridge_pipeline.settings import load_settings

SHARED_SCORER = Path(__file__).resolve().parents[2].parent / "shared" / "tools" / "score_negotiations.py"

FIRST_DAY = dt.date(2026, 3, 2)
SECOND_DAY = dt.date(2026, 3, 4)

NDA_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:05.000
Ana Ruiz: Thanks for joining. We want a mutual NDA between Alder Labs Ltd and Birch Analytics GmbH.

2
00:00:06.000 --> 00:00:10.000
Jonas Berg: Mutual is fine for us. Agreed.

3
00:00:11.000 --> 00:00:15.000
Ana Ruiz: Confidentiality for two years, under the laws of England and Wales?

4
00:00:16.000 --> 00:00:20.000
Jonas Berg: Two years, England and Wales, agreed. I'll send the signed copy by Friday.
"""

SOW_TXT = """Ana Ruiz: Next the statement of work for the data dashboard.
Jonas Berg: We can build it for twelve thousand euros, payment within 30 days of invoice.
Ana Ruiz: Twelve thousand euros, 30 days. Agreed.
Jonas Berg: Good. I'll send the project plan on Monday.
"""


def gold(call_id: str, day: dt.date, contract_type: str, fields: dict[str, str]) -> dict:
    """A gold label in the negotiation data format: agreed values with the turn that agreed them."""
    return {
        "meeting_id": call_id,
        "date": day.isoformat(),
        "contracts": [
            {"type": contract_type, "fields": {name: {"value": value, "accept": [], "cue": 2} for name, value in fields.items()}}
        ],
        "traps": [],
        "decisions": [],
        "notes": "synthetic call for the evaluation tests",
    }


def write_calls(folder: Path) -> Path:
    """Two calls: c01 a Zoom-style VTT, c02 a plain-text transcript, each with sidecar and gold labels."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "c01.vtt").write_text(NDA_VTT, encoding="utf-8")
    (folder / "c01.meta.json").write_text(json.dumps({
        "title": "Alder / Birch - mutual NDA", "started_at": "2026-03-02T10:00:00+00:00",
        "organizer": "Ana Ruiz", "participants": ["Ana Ruiz", "Jonas Berg"],
    }), encoding="utf-8")
    (folder / "c01.gold.json").write_text(json.dumps(gold("c01", FIRST_DAY, "NDA", {
        "party_a": "Alder Labs Ltd", "party_b": "Birch Analytics GmbH", "direction": "mutual",
        "confidentiality_period": "2 years", "governing_law": "England and Wales",
    })), encoding="utf-8")
    (folder / "c02.txt").write_text(SOW_TXT, encoding="utf-8")
    (folder / "c02.meta.json").write_text(json.dumps({
        "title": "Alder / Birch - dashboard SOW", "started_at": "2026-03-04T09:00:00+00:00",
        "organizer": {"name": "Ana Ruiz", "email": "ana@alder.example"}, "participants": ["Ana Ruiz", "Jonas Berg"],
    }), encoding="utf-8")
    (folder / "c02.gold.json").write_text(json.dumps(gold("c02", SECOND_DAY, "SOW", {
        "fees_total": "12000", "currency": "EUR", "payment_terms": "30 days",
    })), encoding="utf-8")
    return folder


def stub_scorer(path: Path) -> Path:
    """Stands in for the shared scorer: shows the folders it was given and the gold files in them."""
    path.write_text(
        "import sys, pathlib\n"
        "exports, gold = map(pathlib.Path, sys.argv[1:3])\n"
        "print('exports', sorted(p.name for p in exports.iterdir()))\n"
        "print('gold', sorted(p.name for p in gold.iterdir()))\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def offline_env(monkeypatch):
    """The evaluation reads its extractor and timezone from the environment; pin them for the test."""
    for name in ("BRIDGE_TIMEZONE", "BRIDGE_SECRETS_ID", "BRIDGE_OPENAI_USE_BATCH", "BRIDGE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BRIDGE_EXTRACTOR", "offline")
    return monkeypatch


def workdir_settings(workdir: Path, **env: str):
    return load_settings({"BRIDGE_DATA_DIR": str(workdir / "data"), "BRIDGE_INBOX_DIR": str(workdir / "inbox"), **env})


# --- the steps ------------------------------------------------------------------------------------


def test_load_calls_finds_each_call_with_its_transcript_sidecar_gold_and_day(tmp_path):
    data = write_calls(tmp_path / "calls")
    calls = ev.load_calls(data)
    assert [(c.call_id, c.day, c.transcript.name, c.sidecar.name, c.gold.name) for c in calls] == [
        ("c01", FIRST_DAY, "c01.vtt", "c01.meta.json", "c01.gold.json"),
        ("c02", SECOND_DAY, "c02.txt", "c02.meta.json", "c02.gold.json"),
    ]


def test_load_calls_refuses_a_call_without_a_sidecar_naming_it(tmp_path):
    data = write_calls(tmp_path / "calls")
    (data / "c02.meta.json").unlink()
    with pytest.raises(ConfigurationError, match=r"call c02 has no sidecar c02\.meta\.json"):
        ev.load_calls(data)


def test_load_calls_refuses_a_call_with_two_transcripts_or_none(tmp_path):
    data = write_calls(tmp_path / "calls")
    (data / "c01.txt").write_text(SOW_TXT, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"call c01 needs exactly one transcript .*found c01\.vtt, c01\.txt"):
        ev.load_calls(data)
    (data / "c01.txt").unlink()
    (data / "c01.vtt").unlink()
    with pytest.raises(ConfigurationError, match=r"call c01 needs exactly one transcript .*found none"):
        ev.load_calls(data)


def test_load_calls_refuses_a_missing_folder_and_a_gold_without_a_date(tmp_path):
    with pytest.raises(ConfigurationError, match="does not exist"):
        ev.load_calls(tmp_path / "nowhere")
    data = write_calls(tmp_path / "calls")
    (data / "c01.gold.json").write_text(json.dumps({"meeting_id": "c01", "contracts": []}), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"c01\.gold\.json has no readable \"date\""):
        ev.load_calls(data)


def test_split_held_out_keeps_back_the_last_ids_by_default_and_the_named_ones_when_given(tmp_path, monkeypatch):
    calls = ev.load_calls(write_calls(tmp_path / "calls"))
    monkeypatch.setattr(ev, "HELD_OUT_COUNT", 1)
    tuned, kept = ev.split_held_out(calls, None)
    assert ([c.call_id for c in tuned], [c.call_id for c in kept]) == (["c01"], ["c02"])
    tuned, kept = ev.split_held_out(calls, ("c01",))
    assert ([c.call_id for c in tuned], [c.call_id for c in kept]) == (["c02"], ["c01"])
    tuned, kept = ev.split_held_out(calls, ())
    assert ([c.call_id for c in tuned], kept) == (["c01", "c02"], [])


def test_fill_inbox_puts_each_call_under_its_gold_date(tmp_path):
    calls = ev.load_calls(write_calls(tmp_path / "calls"))
    inbox = tmp_path / "inbox"
    assert ev.fill_inbox(list(reversed(calls)), inbox) == [FIRST_DAY, SECOND_DAY]
    assert sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if p.is_file()) == [
        "2026-03-02/c01.meta.json",
        "2026-03-02/c01.vtt",
        "2026-03-04/c02.meta.json",
        "2026-03-04/c02.txt",
    ]


def test_run_line_exports_each_call_under_its_day(tmp_path):
    calls = ev.load_calls(write_calls(tmp_path / "calls"))
    settings = workdir_settings(tmp_path / "work")
    days = ev.fill_inbox(calls, settings.inbox_dir)
    totals = ev.run_line(days, settings, ev.build_extractor(settings))
    assert totals["drafts"] + totals["decision_records"] >= 2
    for day, call_id in ((FIRST_DAY, "c01"), (SECOND_DAY, "c02")):
        meeting = settings.exports_dir / day.isoformat() / f"inbox-{day:%Y%m%d}-{call_id}"
        assert any(meeting.glob("*.json")), f"no JSON export for {call_id} in {meeting}"


def test_build_extractor_refuses_an_unknown_extractor_and_an_empty_key(tmp_path, monkeypatch):
    with pytest.raises(ConfigurationError, match="is not one of offline, openai"):
        ev.build_extractor(workdir_settings(tmp_path, BRIDGE_EXTRACTOR="llama"))
    monkeypatch.setenv("OPENAI_API_KEY", " ")
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY is empty"):
        ev.build_extractor(workdir_settings(tmp_path, BRIDGE_EXTRACTOR="openai"))


def test_build_extractor_takes_endpoint_model_and_batching_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", DEFAULT_API_KEY)
    settings = workdir_settings(
        tmp_path, BRIDGE_EXTRACTOR="openai", BRIDGE_OPENAI_BASE_URL="http://127.0.0.1:9/v1",
        BRIDGE_OPENAI_MODEL="my-model", BRIDGE_OPENAI_USE_BATCH="1",
    )
    extractor = ev.build_extractor(settings)
    assert (extractor.settings.base_url, extractor.settings.model, extractor.settings.use_batch) == (
        "http://127.0.0.1:9/v1", "my-model", True,
    )


# --- the command ----------------------------------------------------------------------------------


def test_main_without_the_data_folder_says_skipped_and_succeeds(tmp_path, capsys):
    assert ev.main(["--data", str(tmp_path / "missing"), "--scorer", str(stub_scorer(tmp_path / "s.py"))]) == 0
    assert "skipped" in capsys.readouterr().out


def test_main_scores_the_tuned_and_held_out_calls_apart(tmp_path, capsys, offline_env):
    data = write_calls(tmp_path / "calls")
    workdir = tmp_path / "work"
    code = ev.main(["--data", str(data), "--scorer", str(stub_scorer(tmp_path / "s.py")),
                    "--workdir", str(workdir), "--held-out", "c02"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "2 calls over 2 days with extractor offline" in out
    tuned, held_out = out.split("== tuned on: c01")[1].split("== held out: c02")
    assert "gold ['c01.gold.json', 'c01.meta.json']" in tuned
    assert "gold ['c02.gold.json', 'c02.meta.json']" in held_out
    assert "exports ['2026-03-02', '2026-03-04']" in tuned


def test_main_with_tuned_only_runs_and_scores_only_the_tuned_calls(tmp_path, capsys, offline_env):
    data = write_calls(tmp_path / "calls")
    code = ev.main(["--data", str(data), "--scorer", str(stub_scorer(tmp_path / "s.py")),
                    "--workdir", str(tmp_path / "work"), "--held-out", "c02", "--tuned-only"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "1 calls over 1 days" in out and "held out" not in out
    assert "exports ['2026-03-02']" in out


def test_main_clears_an_earlier_evaluation_workdir_but_refuses_any_other_folder(tmp_path, capsys, offline_env):
    data = write_calls(tmp_path / "calls")
    scorer = str(stub_scorer(tmp_path / "s.py"))
    workdir = tmp_path / "work"
    assert ev.main(["--data", str(data), "--scorer", scorer, "--workdir", str(workdir)]) == 0
    assert ev.main(["--data", str(data), "--scorer", scorer, "--workdir", str(workdir)]) == 0
    (workdir / "notes.txt").write_text("mine", encoding="utf-8")
    capsys.readouterr()
    assert ev.main(["--data", str(data), "--scorer", scorer, "--workdir", str(workdir)]) == 2
    assert "notes.txt" in capsys.readouterr().err
    assert (workdir / "notes.txt").is_file()


def test_main_reports_a_call_without_a_sidecar_as_an_error(tmp_path, capsys, offline_env):
    data = write_calls(tmp_path / "calls")
    (data / "c01.meta.json").unlink()
    code = ev.main(["--data", str(data), "--scorer", str(stub_scorer(tmp_path / "s.py")),
                    "--workdir", str(tmp_path / "work")])
    assert code == 2
    assert "call c01 has no sidecar" in capsys.readouterr().err


@pytest.mark.skipif(not SHARED_SCORER.is_file(), reason=f"the negotiation scorer is not at {SHARED_SCORER}")
def test_the_shared_scorer_reads_the_exports_of_the_synthetic_calls(tmp_path, capsys, offline_env):
    data = write_calls(tmp_path / "calls")
    code = ev.main(["--data", str(data), "--scorer", str(SHARED_SCORER), "--workdir", str(tmp_path / "work"),
                    "--held-out", "c02"])
    out = capsys.readouterr().out
    assert code in (0, 1), out  # 1: a target missed, which is the rules' business, not the harness's
    # The scorer found each call's exports by its sidecar title under its gold date.
    assert "c01 [2026-03-02]" in out and "c02 [2026-03-04]" in out
    assert "bundles=0" not in out
    assert out.count("types=") == 2


# --- an OpenAI-compatible server ------------------------------------------------------------------


def test_evaluation_with_the_openai_extractor_against_a_compatible_server(tmp_path, capsys, offline_env, fake: FakeOpenAIServer):
    offline_env.setenv("BRIDGE_EXTRACTOR", "openai")
    offline_env.setenv("BRIDGE_OPENAI_BASE_URL", fake.api_base_url)
    offline_env.setenv("BRIDGE_OPENAI_MODEL", "keyword-model")
    offline_env.setenv("OPENAI_API_KEY", DEFAULT_API_KEY)
    data = write_calls(tmp_path / "calls")
    workdir = tmp_path / "work"
    code = ev.main(["--data", str(data), "--scorer", str(stub_scorer(tmp_path / "s.py")), "--workdir", str(workdir)])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    assert "2 calls over 2 days with extractor openai" in captured.out
    assert "model openai/keyword-model/" in captured.out and "0 meetings failed" in captured.out
    assert fake.calls() == 2
    assert all(body["model"] == "keyword-model" for body in fake.chat_bodies)
    for day, call_id in ((FIRST_DAY, "c01"), (SECOND_DAY, "c02")):
        exported = list((workdir / "data" / "exports" / day.isoformat()).rglob("*.json"))
        assert exported, f"no export for {call_id}"
        record = json.loads(exported[0].read_text(encoding="utf-8"))
        assert "openai/keyword-model/" in json.dumps(record)


def test_module_runs_as_a_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bridge_pipeline.evaluate_negotiations", "--data", str(tmp_path / "missing")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0 and "skipped" in result.stdout
