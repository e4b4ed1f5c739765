"""Loopback fakes of Microsoft Graph and Zoom for tests, demos and benchmarks (`python -m bridge_pipeline.sandbox`)."""

from bridge_pipeline.sandbox.graph_fake import FakeGraphServer, FakeTeamsMeeting
from bridge_pipeline.sandbox.loopback import Fault, Reply
from bridge_pipeline.sandbox.zoom_fake import FakeZoomMeeting, FakeZoomServer

__all__ = ["FakeGraphServer", "FakeTeamsMeeting", "FakeZoomMeeting", "FakeZoomServer", "Fault", "Reply"]
