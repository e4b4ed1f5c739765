"""The project's exception hierarchy, so callers can tell bad input from configuration and transient faults."""


class BridgeError(Exception):
    """Base class for every error the pipeline raises on purpose."""


class BadInputError(BridgeError):
    """Input that cannot be used as it is; names what was wrong and where."""

    def __init__(self, location: str, problem: str):
        self.location = location
        self.problem = problem
        super().__init__(f"{location}: {problem}")


class TranscriptParseError(BadInputError):
    """A transcript file that cannot be turned into utterances."""


class ConfigurationError(BridgeError):
    """A setting or credential is missing or wrong; retrying will not help."""
