"""The desk's routes: pages (GET), counsel's actions (POST, then a redirect to the page), export files.

`create_app` takes the store and blob store it reads, so tests and the command build it the same way.
Store calls are synchronous; Starlette runs the GET endpoints in its thread pool, and the POST endpoints
hand their store work to it explicitly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bridge_pipeline.models import WATERMARK, ContractDraft, ReviewAction
from bridge_pipeline.review_desk import actions, queries
from bridge_pipeline.review_desk.config import DeskSettings
from bridge_pipeline.review_desk.csrf import CsrfTokens, origin_allowed
from bridge_pipeline.review_desk.effective import EffectiveDraft, effective_draft
from bridge_pipeline.review_desk.errors import DeskError
from bridge_pipeline.review_desk.exports import MEDIA_TYPES, SHOWN_INLINE, filename_of, listed_export
from bridge_pipeline.review_desk.forms import MAX_FORM_BYTES, read_form
from bridge_pipeline.review_desk.formatting import install_filters
from bridge_pipeline.review_desk.identity import ReviewerIdentity
from bridge_pipeline.review_desk.middleware import RequireReviewer, SecurityHeaders
from bridge_pipeline.storage.blobs import BlobStore
from bridge_pipeline.storage.store import PipelineStore

HERE = Path(__file__).resolve().parent
CSRF_FIELD = "csrf_token"
# What the page says after each action, keyed by the `done` parameter of the redirect.
DONE_MESSAGES = {
    "filled": "{label} filled in.",
    "corrected": "{label} corrected.",
    "approved": "Version approved.",
    "changes_requested": "Changes requested.",
}


class Desk:
    def __init__(self, store: PipelineStore, blobs: BlobStore, settings: DeskSettings, timezone: str):
        self.store = store
        self.blobs = blobs
        self.settings = settings
        self.timezone = timezone
        self.csrf = CsrfTokens(settings.secret)
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
        )
        install_filters(environment, timezone)
        self.templates = Jinja2Templates(env=environment)

    # --- rendering ----------------------------------------------------------------------------

    def render(self, request: Request, name: str, context: dict, status_code: int = 200) -> Response:
        reviewer = request.state.reviewer
        base = {
            "reviewer": reviewer,
            "csrf_token": self.csrf.issue(reviewer),
            "csrf_field": CSRF_FIELD,
            "timezone": self.timezone,
            "watermark": WATERMARK,
        }
        return self.templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)

    def error_page(self, request: Request, error: DeskError) -> Response:
        if getattr(request.state, "reviewer", None) is None:
            return Response(error.message, status_code=error.status_code, media_type="text/plain")
        return self.render(request, "error.html", {"error": error}, status_code=error.status_code)

    # --- pages --------------------------------------------------------------------------------

    def desk(self, request: Request) -> Response:
        filters = queries.DeskFilters.from_query(request.query_params)
        page = queries.desk_page(self.store, filters, self.timezone)
        return self.render(
            request,
            "desk.html",
            {"page": page, "contract_types": queries.CONTRACT_TYPES, "statuses": queries.STATUSES},
        )

    def draft(self, request: Request) -> Response:
        draft_id, version = request.path_params["draft_id"], request.path_params["version"]
        page = queries.draft_page(self.store, draft_id, version, self.timezone)
        return self.render(request, "draft.html", {"page": page, "notice": _done_message(request, page.draft)})

    def latest_version(self, request: Request) -> Response:
        draft_id = request.path_params["draft_id"]
        history = self.store.load_draft_history(draft_id)
        if not history:
            raise DeskError(404, f"There is no draft with the id {draft_id!r}.")
        return RedirectResponse(f"/drafts/{draft_id}/v/{history[-1].version}", status_code=303)

    def transcript(self, request: Request) -> Response:
        page = queries.transcript_page(self.store, request.path_params["meeting_id"])
        return self.render(request, "transcript.html", {"page": page})

    def audit(self, request: Request) -> Response:
        return self.render(request, "audit.html", {"actions": queries.latest_actions(self.store)})

    def export_file(self, request: Request) -> Response:
        params = request.path_params
        try:
            day = dt.date.fromisoformat(params["day"])
        except ValueError:
            raise DeskError(404, f"{params['day']!r} is not a day.") from None
        item = listed_export(self.store, day, params["meeting_id"], params["filename"])
        if item is None:
            raise DeskError(404, f"No exported file {params['filename']!r} of meeting {params['meeting_id']} on {day}.")
        try:
            data = self.blobs.get(item.blob_key)
        except FileNotFoundError:
            missing = f"{params['filename']} is listed as exported but missing from the blob store."
            raise DeskError(404, missing) from None
        disposition = "inline" if item.format in SHOWN_INLINE else "attachment"
        return Response(
            data,
            media_type=MEDIA_TYPES.get(item.format, "application/octet-stream"),
            # The stored name: export names are safe file names (rendering.filenames), never the request's text.
            headers={"Content-Disposition": f'{disposition}; filename="{filename_of(item)}"'},
        )

    # --- actions ------------------------------------------------------------------------------

    async def set_value(self, request: Request) -> Response:
        form = await self._checked_form(request)

        def act(view: EffectiveDraft) -> ReviewAction:
            field = view.draft.field((form.get("field_name") or "").strip())
            if field is not None and "shown_value" in form and form["shown_value"] != (field.value or ""):
                raise _changed_since_loaded(view)
            reviewer = request.state.reviewer
            return actions.set_value(view, reviewer, form.get("field_name"), form.get("value"), form.get("note"))

        action = await self._act(request, act)
        done = "corrected" if action.before_value is not None else "filled"
        return self._back_to_draft(action, done=done, field=action.field_name or "")

    async def approve(self, request: Request) -> Response:
        form = await self._checked_form(request)

        def act(view: EffectiveDraft) -> ReviewAction:
            if not form.get("fingerprint"):
                raise DeskError(400, "The approval does not say which cover page it approves (fingerprint missing).")
            if form["fingerprint"] != view.fingerprint():
                raise _changed_since_loaded(view)
            return actions.approve(view, request.state.reviewer, form.get("note"))

        return self._back_to_draft(await self._act(request, act), done="approved")

    async def request_changes(self, request: Request) -> Response:
        form = await self._checked_form(request)
        reviewer = request.state.reviewer
        action = await self._act(request, lambda view: actions.request_changes(view, reviewer, form.get("note")))
        return self._back_to_draft(action, done="changes_requested")

    async def _checked_form(self, request: Request) -> dict[str, str]:
        """The form, once its origin and token are the desk's own and the reviewer's (403 otherwise)."""
        own = {f"{request.url.scheme}://{request.url.netloc}"}
        if self.settings.public_origin:
            own.add(self.settings.public_origin)
        if not origin_allowed(request.headers.get("origin"), own):
            raise DeskError(403, "The form was sent from another site.")
        form = await read_form(request)
        if not self.csrf.is_valid(form.get(CSRF_FIELD), request.state.reviewer):
            raise DeskError(
                403, "The form's security token is missing, expired or not yours; reload the page and try again."
            )
        return form

    async def _act(self, request: Request, act: Callable[[EffectiveDraft], ReviewAction]) -> ReviewAction:
        draft_id, version = request.path_params["draft_id"], request.path_params["version"]

        def work() -> ReviewAction:
            stored, history = queries.load_version(self.store, draft_id, version)
            meeting = self.store.load_meetings_by_id([stored.meeting_id]).get(stored.meeting_id)
            view = effective_draft(stored, self.store.reviews.for_draft(draft_id), meeting, self.timezone)
            actions.require_latest(view, history[-1].version)
            return self.store.reviews.append(act(view))

        return await run_in_threadpool(work)

    @staticmethod
    def _back_to_draft(action: ReviewAction, **done: str) -> Response:
        anchor = f"#field-{action.field_name}" if action.field_name else "#review"
        url = f"/drafts/{action.draft_id}/v/{action.draft_version}?{urlencode(done)}{anchor}"
        return RedirectResponse(url, status_code=303)


def _changed_since_loaded(view: EffectiveDraft) -> DeskError:
    draft = view.stored
    return DeskError(
        409,
        "The cover page changed since this page was loaded (another action was recorded); review it again.",
        link=f"/drafts/{draft.draft_id}/v/{draft.version}",
        link_text="Reload the draft",
    )


def _done_message(request: Request, draft: ContractDraft) -> str | None:
    template = DONE_MESSAGES.get(request.query_params.get("done", ""))
    if template is None:
        return None
    field = draft.field(request.query_params.get("field", ""))
    if "{label}" in template and field is None:
        return None
    return template.format(label=field.label if field else "")


def create_app(store: PipelineStore, blobs: BlobStore, settings: DeskSettings, *, timezone: str = "UTC") -> Starlette:
    desk = Desk(store, blobs, settings, timezone)

    async def desk_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, DeskError)
        return desk.error_page(request, error)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        response = desk.error_page(request, DeskError(error.status_code, str(error.detail)))
        response.headers.update(error.headers or {})  # e.g. Allow on a 405
        return response

    routes = [
        Route("/", desk.desk, methods=["GET"], name="desk"),
        Route("/audit", desk.audit, methods=["GET"], name="audit"),
        Route("/drafts/{draft_id}", desk.latest_version, methods=["GET"]),
        Route("/drafts/{draft_id}/v/{version:int}", desk.draft, methods=["GET"], name="draft"),
        Route("/drafts/{draft_id}/v/{version:int}/set-value", desk.set_value, methods=["POST"]),
        Route("/drafts/{draft_id}/v/{version:int}/approve", desk.approve, methods=["POST"]),
        Route("/drafts/{draft_id}/v/{version:int}/request-changes", desk.request_changes, methods=["POST"]),
        Route("/meetings/{meeting_id}/transcript", desk.transcript, methods=["GET"], name="transcript"),
        Route("/files/{day}/{meeting_id}/{filename}", desk.export_file, methods=["GET"], name="export_file"),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(
        routes=routes,
        # Outermost first: every response, the 401 included, gets the security headers.
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(RequireReviewer, identity=ReviewerIdentity(settings)),
        ],
        exception_handlers={DeskError: desk_error, HTTPException: http_error},
        max_body_size=MAX_FORM_BYTES,
    )
