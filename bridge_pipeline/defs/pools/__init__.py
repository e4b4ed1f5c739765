"""Concurrency pools, one per external API, and the limits each gets on an instance.

Steps that call an API declare its pool on their asset: `raw_recordings` reads Teams and Zoom in one
step and takes SOURCES_POOL; `decisions` takes OPENAI_POOL when the language model is configured. The
instance then lets at most the pool's limit of such steps run at once across all runs, so thirty
sensor runs never send thirty parallel listings to one provider. Each client's rate limiter works per
process, so set a source's requests per second to the provider's limit divided by the pool's limit. dagster.yaml can only hold the
default limit, so deploys apply these with `python -m bridge_pipeline.defs.pools` (or the UI). That
command lives in bridge_pipeline.defs.pools.apply: importing the names here changes no instance.
"""

from __future__ import annotations

from collections.abc import Mapping

SOURCES_POOL = "meeting_sources"
OPENAI_POOL = "openai"

# Microsoft Graph throttles per app and tenant, Zoom per account ("Medium" calls), OpenAI per key
# on tokens per minute; two parallel ingestions already reach the sources' limits with our clients.
POOL_LIMITS: Mapping[str, int] = {SOURCES_POOL: 2, OPENAI_POOL: 4}
