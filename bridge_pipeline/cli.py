"""Command line helpers around the pipeline: list what a day exported (and what was withheld), check the
deployment (doctor), manage the project schema (db) and serve the review desk (review-desk)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from bridge_pipeline.settings import load_settings
from bridge_pipeline.storage.store import PipelineStore


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def list_exports(start: dt.date, end: dt.date, out=sys.stdout) -> int:
    settings = load_settings()
    store = PipelineStore(settings.database_url)
    store.migrate()
    total = 0
    for day in _days(start, end):
        exported, withheld = store.load_exports(day)
        if not exported and not withheld:
            continue
        print(f"{day}: {settings.exports_dir / day.isoformat()}", file=out)
        by_meeting: dict[str, list[str]] = {}
        for item in exported:
            by_meeting.setdefault(item.meeting_id, []).append(item.blob_key.rsplit("/", 1)[-1])
        for meeting_id, files in sorted(by_meeting.items()):
            print(f"  {meeting_id}/", file=out)
            for name in sorted(files):
                print(f"    {name}", file=out)
        for item in withheld:
            print(f"  WITHHELD {item.draft_id}: {item.reason}", file=out)
        total += len(exported)
    print(f"{total} files exported", file=out)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bridge-pipeline")
    commands = parser.add_subparsers(dest="command", required=True)
    exports = commands.add_parser("exports", help="list the exports of a day or a range of days")
    exports.add_argument("--from", dest="start", required=True, type=dt.date.fromisoformat)
    exports.add_argument("--to", dest="end", type=dt.date.fromisoformat)
    doctor = commands.add_parser("doctor", help="check database, migrations, blob storage and credentials")
    doctor.add_argument("--check-tokens", action="store_true", help="also fetch a token from each configured source")
    doctor.add_argument("--json", action="store_true", help="print the results as JSON")
    db = commands.add_parser("db", help="the project schema: upgrade it, show its revision, list the revisions")
    db.add_argument("action", choices=("upgrade", "current", "history"))
    db.add_argument("--verbose", action="store_true", help="history: show each revision's details")
    desk = commands.add_parser("review-desk", help="serve the review desk, where counsel reviews the drafts")
    desk.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others need BRIDGE_REVIEWERS)"
    )
    desk.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    if args.command == "exports":
        list_exports(args.start, args.end or args.start)
    if args.command == "db":
        from bridge_pipeline.db_commands import main as db_main

        return db_main(args.action, out=sys.stdout, verbose=args.verbose)
    if args.command == "doctor":
        from bridge_pipeline.doctor import main as doctor_main

        return doctor_main(check_tokens_too=args.check_tokens, as_json=args.json, out=sys.stdout)
    if args.command == "review-desk":
        from bridge_pipeline.review_desk.server import serve

        return serve(args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
