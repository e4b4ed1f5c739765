"""Serves both fakes with seeded meetings until interrupted: `python -m bridge_fakes`.

Prints each fake's base URL and the settings a source needs to reach it (sandbox credentials only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import threading

from bridge_fakes.seed import seed_demo
from bridge_fakes.teams_fake import FakeGraphServer
from bridge_fakes.zoom_fake import FakeZoomServer


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bridge_fakes", description=__doc__)
    parser.add_argument("--day", action="append", type=dt.date.fromisoformat, dest="days",
                        help="seed meetings on this day (repeatable; default: yesterday and today, UTC)")
    parser.add_argument("--graph-port", type=int, default=0, help="port of the Graph fake (default: a free one)")
    parser.add_argument("--zoom-port", type=int, default=0, help="port of the Zoom fake (default: a free one)")
    parser.add_argument("--graph-secret", default=None, help="client secret the Graph fake accepts (default: random)")
    parser.add_argument("--zoom-secret", default=None, help="client secret the Zoom fake accepts (default: random)")
    parser.add_argument("--json", action="store_true", help="print the connection settings as one JSON line")
    return parser.parse_args(argv)


def connection_settings(graph: FakeGraphServer, zoom: FakeZoomServer) -> dict[str, dict[str, object]]:
    return {
        "teams": {
            "base_url": graph.base_url,
            "graph_base_url": graph.graph_base_url,
            "login_base_url": graph.login_base_url,
            "tenant_id": graph.tenant_id,
            "client_id": graph.client_id,
            "client_secret": graph.client_secret,
            "organizer_ids": sorted(graph.organizer_upns),
        },
        "zoom": {
            "base_url": zoom.base_url,
            "api_base_url": zoom.api_base_url,
            "oauth_base_url": zoom.base_url,
            "account_id": zoom.account_id,
            "client_id": zoom.client_id,
            "client_secret": zoom.client_secret,
            "user_ids": sorted(zoom.users),
        },
    }


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    today = dt.datetime.now(dt.timezone.utc).date()
    days = args.days or [today - dt.timedelta(days=1), today]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    graph_fake = FakeGraphServer(port=args.graph_port, client_secret=args.graph_secret)
    zoom_fake = FakeZoomServer(port=args.zoom_port, client_secret=args.zoom_secret)
    with graph_fake as graph, zoom_fake as zoom:
        seed_demo(graph, zoom, days)
        settings = connection_settings(graph, zoom)
        if args.json:
            print(json.dumps(settings), flush=True)
        else:
            print(f"Seeded meetings on {', '.join(day.isoformat() for day in days)} (sandbox credentials, not secrets).")
            for source, values in settings.items():
                print(f"\n{source}: {values['base_url']}")
                for name, value in values.items():
                    if name != "base_url":
                        shown = ",".join(value) if isinstance(value, list) else value
                        print(f"  {name} = {shown}")
            print("\nSources must use HttpSettings(mode='sandbox'). Ctrl-C to stop.", flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
