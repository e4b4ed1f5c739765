"""The job that runs the whole line for a day, and the schedule that backs up the sensors."""

from __future__ import annotations

from dagster import AssetSelection, build_schedule_from_partitioned_job, define_asset_job


meeting_line_job = define_asset_job(
    "meeting_line_job",
    selection=AssetSelection.groups("meeting_line"),
    description="Every stage from raw recordings to exports, for one day or a range of days in one run.",
)

# The schedule fires shortly after midnight in the partition timezone and asks for the day that just
# ended. Today stays selectable in the UI (end_offset=1 on the partitions), but the schedule only
# targets closed days so late transcripts of yesterday are picked up once, in full.
meeting_line_schedule = build_schedule_from_partitioned_job(
    meeting_line_job,
    name="meeting_line_schedule",
    hour_of_day=1,
    minute_of_hour=15,
    description="Backstop: re-processes yesterday's meetings once a day.",
)
