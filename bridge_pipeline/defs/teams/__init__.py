"""Teams: meetings read through Microsoft Graph (the resource) and the sensor that polls for new transcripts."""
