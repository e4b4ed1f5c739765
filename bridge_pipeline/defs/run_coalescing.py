"""A day whose run is still waiting in the queue needs no second run: the waiting one will see the news.

A queued run has not started any step yet, so when it starts it lists the inbox and the sources, and
reads the review actions, as they are then. Asking for another run of the same day only lengthens the
queue (runs of one day wait for each other), which is what made latency grow under a backlog. A run
that has started is never counted: it may have listed its inputs already.

A request for the whole line is covered by a waiting run of the whole line; a request that re-drafts only
(the review sensor's) is covered by any waiting run of the day, since every run re-drafts.
"""

from __future__ import annotations

from collections.abc import Sequence

from dagster import AssetKey, DagsterRunStatus, RunRequest, RunsFilter, SensorEvaluationContext

PARTITION_TAG = "dagster/partition"
WAITING = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED]
FIRST_ASSET = AssetKey("raw_recordings")
# More waiting runs than this means something else is wrong; looking at the newest ones is enough.
LOOK_AT_RUNS = 1000


def _waiting_days(context: SensorEvaluationContext, job_name: str) -> tuple[set[str], set[str]]:
    """(days with a waiting run of the whole line, days with any waiting run) of `job_name`."""
    records = context.instance.get_run_records(RunsFilter(job_name=job_name, statuses=WAITING), limit=LOOK_AT_RUNS)
    whole, any_run = set(), set()
    for record in records:
        run = record.dagster_run
        day = run.tags.get(PARTITION_TAG)
        if day is None:
            continue
        any_run.add(day)
        if run.asset_selection is None or FIRST_ASSET in run.asset_selection:
            whole.add(day)
    return whole, any_run


def without_waiting_days(
    context: SensorEvaluationContext, job_name: str, requests: Sequence[RunRequest], sensor_name: str
) -> list[RunRequest]:
    """The requests whose day has no waiting run that covers them; logs the ones left out."""
    if not requests:
        return []
    if context.instance_ref is None and getattr(context, "_instance", None) is None:
        return list(requests)  # evaluated outside an instance (a direct call): there is no queue to look at
    whole, any_run = _waiting_days(context, job_name)
    kept = []
    for request in requests:
        redraft_only = request.asset_selection is not None and FIRST_ASSET not in request.asset_selection
        covering = any_run if redraft_only else whole
        if request.partition_key in covering:
            context.log.info(f"{sensor_name}: a run of {request.partition_key} is waiting to start; it covers this")
        else:
            kept.append(request)
    return kept
