"""`python -m bridge_pipeline.defs.pools`: the command the deploy files run after each release."""

from bridge_pipeline.defs.pools.apply import main

main()
