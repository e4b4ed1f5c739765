"""Review: the sensor that re-drafts the days counsel's review actions make out of date."""
