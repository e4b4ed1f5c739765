"""The review sensor: each batch of review actions becomes one run per affected day, of the drafting stages only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dagster import AssetKey, DagsterInstance, build_sensor_context

from bridge_pipeline.defs.meeting_line.partitions import build_daily_partitions
from bridge_pipeline.defs.polling import TRIGGER_TAG
from bridge_pipeline.defs.review.sensors import REVIEW_ACTIONS_TAG, build_review_sensor
from bridge_pipeline.defs.storage.resources import ProjectStoreResource
from bridge_pipeline.models import ReviewAction
from bridge_pipeline.defs.observability.instrumentation import DETECTED_AT_TAG
from bridge_pipeline.review_runs import StoredVersion, days_to_redraft
from bridge_pipeline.settings import load_settings
from bridge_pipeline_tests.incremental.line import Line
from bridge_pipeline_tests.review.test_review_in_the_line import DAY_1, DAY_2, KICKOFF, _act, _follow_up, _sow, _write

T0 = dt.datetime(2026, 5, 16, 9, 0, tzinfo=dt.timezone.utc)


def _action(action_id: int, version: int, day: dt.date, minutes: int) -> ReviewAction:
    return ReviewAction(
        action_id=action_id,
        recorded_at=T0 + dt.timedelta(minutes=minutes),
        reviewer="counsel@example.com",
        action="approve",
        draft_id="m1-sow",
        draft_version=version,
        meeting_id=f"m{version}",
        partition_date=day,
        after_value="x",
    )


def test_an_action_on_a_version_redrafts_its_day_and_the_days_of_later_versions():
    versions = {"m1-sow": [StoredVersion(1, DAY_1), StoredVersion(2, DAY_2), StoredVersion(3, DAY_2)]}
    planned = days_to_redraft([_action(7, 1, DAY_1, 5), _action(9, 3, DAY_2, 1)], versions)
    assert [(p.day, p.first_action_at, p.action_ids) for p in planned] == [
        (DAY_1, T0 + dt.timedelta(minutes=5), (7,)),
        (DAY_2, T0 + dt.timedelta(minutes=1), (7, 9)),
    ]
    # An action on the latest version touches its own day only.
    assert [p.day for p in days_to_redraft([_action(9, 3, DAY_2, 1)], versions)] == [DAY_2]


def test_the_sensor_requests_the_reviewed_day_and_the_later_version_s_day_once(tmp_path: Path):
    line = Line(tmp_path / "line")
    _write(line, DAY_1, "kickoff", "Nordlicht / Acme — statement of work", KICKOFF, 9)
    line.run(DAY_1)
    _follow_up(line, [
        "Jonas Weber (Nordlicht): Payment terms: thirty days from invoice, agreed?",
        "Anna Berg (Acme): Yes, thirty days from invoice is agreed.",
    ])
    line.run(DAY_2)
    assert _sow(line, DAY_2).version == 2
    settings = load_settings({"BRIDGE_DATA_DIR": str(tmp_path / "data")})
    sensor = build_review_sensor(build_daily_partitions(settings))
    resources = {"store": ProjectStoreResource(database_url=str(line.store.engine.url))}

    with DagsterInstance.ephemeral() as instance:
        idle = sensor(build_sensor_context(instance=instance, resources=resources))
        assert idle.run_requests == [] and idle.cursor == "0"

        first = _act(line, _sow(line, DAY_1), "set_value", "governing_law", "the laws of Ireland")
        second = _act(line, _sow(line, DAY_1), "request_changes", note="check the scope")
        result = sensor(build_sensor_context(instance=instance, resources=resources, cursor=idle.cursor))

        assert [r.partition_key for r in result.run_requests] == [DAY_1.isoformat(), DAY_2.isoformat()]
        for request in result.run_requests:
            assert set(request.asset_selection) == {
                AssetKey("contract_drafts"), AssetKey("draft_qa"), AssetKey("contract_exports")}
            assert request.tags[TRIGGER_TAG] == "review_sensor"
            assert request.tags[REVIEW_ACTIONS_TAG] == f"{first.action_id},{second.action_id}"
            assert dt.datetime.fromisoformat(request.tags[DETECTED_AT_TAG]) == first.recorded_at
        assert result.cursor == str(second.action_id)

        again = sensor(build_sensor_context(instance=instance, resources=resources, cursor=result.cursor))
        assert again.run_requests == [] and again.cursor == result.cursor
