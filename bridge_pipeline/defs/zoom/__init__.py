"""Zoom: cloud recordings (the resource) and the sensor that polls for new transcripts."""
