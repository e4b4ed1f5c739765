"""Language: the extractor (offline rules or a language model) and speech-to-text resources.

Resources only; bridge_pipeline.defs.resources_for_environment chooses which ones a deployment gets.
"""
