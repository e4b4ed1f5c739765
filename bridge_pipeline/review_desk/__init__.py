"""The review desk: a small web application where counsel reads drafts beside their citations and acts on them.

Counsel fills open points, corrects values, approves a version or requests changes; each action is appended
to the review log (bridge_pipeline.storage.reviews) and the review sensor re-drafts the affected days. The
application is plain Starlette with server-rendered Jinja2 pages and HTML forms; it never imports Dagster.
"""

from bridge_pipeline.review_desk.app import create_app

__all__ = ["create_app"]
