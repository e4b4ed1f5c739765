"""The code location loads, and its asset graph is the one the README describes."""

from __future__ import annotations

from dagster import AssetKey, BackfillPolicy, DailyPartitionsDefinition, Definitions

from bridge_pipeline.definitions import defs

LINE = ["raw_recordings", "transcripts", "decisions", "contract_drafts", "draft_qa", "contract_exports"]


def test_code_location_loads():
    Definitions.validate_loadable(defs)


def test_assets_form_one_chain_in_stage_order():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys == set(LINE) | {"meeting_notifications", "extractor_evaluation"}
    for upstream, downstream in zip(LINE, LINE[1:]):
        parents = {k.to_user_string() for k in graph.get(AssetKey(downstream)).parent_keys}
        assert parents == {upstream}


def test_every_asset_is_daily_partitioned_and_backfills_in_one_run():
    for name in LINE:
        assets_def = defs.resolve_assets_def(name)
        assert isinstance(assets_def.partitions_def, DailyPartitionsDefinition)
        assert assets_def.partitions_def.timezone == "UTC"
        assert assets_def.backfill_policy == BackfillPolicy.single_run()


def test_checks_guard_parsing_and_qa():
    graph = defs.resolve_asset_graph()
    check_names = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    assert check_names == {
        ("transcripts", "every_transcript_parsed"),
        ("draft_qa", "no_blocking_findings"),
        ("draft_qa", "required_fields_filled"),
        ("contract_drafts", "draft_stage_p95"),
        ("contract_exports", "export_stage_p95"),
        ("contract_exports", "transcript_to_export_p95"),
        ("meeting_notifications", "summaries_delivered"),
    }


def test_schedule_targets_the_whole_line_for_the_day_that_ended():
    schedule = defs.resolve_schedule_def("meeting_line_schedule")
    assert schedule.job_name == "meeting_line_job"
    assert schedule.cron_schedule == "15 1 * * *"
    job = defs.resolve_job_def("meeting_line_job")
    assert {k.to_user_string() for k in job.asset_layer.selected_asset_keys} == set(LINE) | {"meeting_notifications"}
