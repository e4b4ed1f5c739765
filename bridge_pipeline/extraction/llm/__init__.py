"""Decision extraction through an OpenAI-compatible API: structured answers, grounded in the transcript, cached."""
