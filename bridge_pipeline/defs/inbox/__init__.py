"""The inbox folder as a recording source: its resource (read by raw_recordings) and the sensor that watches it."""
