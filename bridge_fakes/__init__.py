"""Loopback fakes of Microsoft Graph and Zoom for tests, demos and benchmarks (`python -m bridge_fakes`).

A package beside bridge_pipeline rather than inside it, so the production image can leave it out:
bridge_pipeline never imports it.
"""

from bridge_fakes.loopback import Fault, Reply
from bridge_fakes.teams_fake import FakeGraphServer, FakeTeamsMeeting
from bridge_fakes.zoom_fake import FakeZoomMeeting, FakeZoomServer

__all__ = ["FakeGraphServer", "FakeTeamsMeeting", "FakeZoomMeeting", "FakeZoomServer", "Fault", "Reply"]
