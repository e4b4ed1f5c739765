"""Storage: the project store and blob storage resources every other domain reads and writes through."""
