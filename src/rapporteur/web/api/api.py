"""The HTTP API (django-ninja), under ``/api/v1/``: read processes, sessions, published syntheses and
rating rounds; delegates vote with a token (``Authorization: Bearer rpt_…``).

The OpenAPI schema is served at ``/api/v1/openapi.json`` and rendered at ``/api/v1/docs`` (Swagger
UI from the package's own static files, no CDN). Every answer an operation can give is declared
in the schema, errors included: ``{"detail": "…", "code": "…"}``.

Requests are rate limited (``core.ratelimit``): per token with one, per address without, and votes
per delegate and per address; past a limit the answer is 429 (``"code": "rate_limited"``) with
``Retry-After`` in seconds.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import NinjaAPI, Path, Schema
from ninja.responses import Status
from pydantic import Field
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from rapporteur.schema import SynthesisDocument
from rapporteur.web.core import ratelimit
from rapporteur.web.processes import selectors as process_selectors
from rapporteur.web.processes.models import Process, Session
from rapporteur.web.rounds import selectors as round_selectors
from rapporteur.web.rounds import services as round_services
from rapporteur.web.rounds.ballot import ballot
from rapporteur.web.rounds.models import Round
from rapporteur.web.syntheses import selectors as synthesis_selectors
from rapporteur.web.syntheses.models import Synthesis

from .docs import SiteSwagger
from . import voting

MAX_ID = 2**53  # ids beyond this are no ids of ours (and JSON numbers stop being exact there)
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
# a statement's id is its number in the round, from 0 as Pol.is's comment-id (rounds.selectors.round_numbering)
StatementNumber = Annotated[int, Path(ge=0, le=MAX_ID)]


class TokenAuth(HttpBearer):
    """A delegate's API token (see ``rapporteur api-token`` and the delegate dashboard)."""

    openapi_scheme = "bearer"

    def authenticate(self, request: HttpRequest, token: str):
        user = voting.token_user(token)  # one query, with whether the user may vote
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="rapporteur API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    docs=SiteSwagger(settings={"deepLinking": False}),  # deep links are links inside the buttons (nested-interactive)
)


# ------------------------------------------------------------------------------------ schemas
class Error(Schema):
    detail: str
    code: str


class PhaseSummary(Schema):
    number: int
    name: str


class SessionSummary(Schema):
    id: int
    title: str
    kind: str
    status: str
    start_date: date | None
    end_date: date | None
    venue: str


class PhaseOut(Schema):
    number: int
    name: str
    start_date: date | None
    end_date: date | None
    sessions: list[SessionSummary]


class ProcessSummary(Schema):
    slug: str
    name: str
    mandate: str
    description: str


class ProcessOut(ProcessSummary):
    phases: list[PhaseOut]


class SynthesisSummary(Schema):
    id: int
    version: int
    session: int | None
    phase: int | None
    published_at: datetime | None
    contribution_count: int
    has_votes: bool


class SynthesisOut(SynthesisSummary):
    title: str
    data: SynthesisDocument  # the engine's synthesis.json, one schema (rapporteur.schema)


class RoundSummary(Schema):
    id: int
    title: str
    status: Literal["open", "closed"]
    session: int
    statements: int


class SessionOut(SessionSummary):
    process: str
    phase: PhaseSummary
    theme: str
    syntheses: list[SynthesisSummary]
    rounds: list[RoundSummary]


class StatementOut(Schema):
    id: int = Field(..., description="The statement's number in the round (Pol.is comment-id): the same on the "
                                     "site and in every export")
    text: str
    origin: str
    key_point: str
    context: str


class RoundOut(Schema):
    id: int
    title: str
    status: Literal["open", "closed"]
    session: int
    accepts_statements: bool
    statements: list[StatementOut]


class StatementResult(Schema):
    id: int
    text: str
    agree: int
    disagree: int
    pass_: int = Field(..., alias="pass")
    seen: int


class RoundResults(Schema):
    round: int
    status: Literal["open", "closed"]
    votes: int
    participants: int
    analysed_votes: int
    analysed_at: datetime | None
    opinion_groups: int
    statements: list[StatementResult]
    consensus: list[int]


class NextStatement(Schema):
    round: int
    done: int
    total: int
    statement: StatementOut | None


class VoteIn(Schema):
    vote: Literal["agree", "disagree", "pass"]


class VoteOut(Schema):
    round: int
    statement: int
    vote: Literal["agree", "disagree", "pass"]
    changed: bool


class MatchIn(Schema):
    text: str = Field(min_length=1, max_length=5000, description="A statement: one or more sentences.")


class MatchedSentence(Schema):
    text: str
    start: int
    end: int
    probability: float


class MatchedKeyPointOut(Schema):
    key_point: str
    label: str
    n_stakeholders: int
    probability: float
    sentences: list[MatchedSentence]


class MatchOut(Schema):
    synthesis: int
    version: int
    key_points: list[MatchedKeyPointOut]


LIMITED = {429: Error}  # every operation: over a rate limit
ERRORS_READ = {404: Error, 422: Error, **LIMITED}
ERRORS_AUTH = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error, **LIMITED}


# ------------------------------------------------------------------------------ error answers
@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(p) for p in first.get("loc", []))
    return api.create_response(request, {"detail": f"{where}: {first.get('msg', 'invalid input')}", "code": "invalid"},
                               status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    response = api.create_response(request, {"detail": "Send a valid API token: Authorization: Bearer <token>.",
                                             "code": "unauthenticated"}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc):
    code = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found"}.get(exc.status_code, "error")
    return api.create_response(request, {"detail": str(exc), "code": code}, status=exc.status_code)


@api.exception_handler(ratelimit.RateLimited)
def _rate_limited(request, exc):
    return ratelimit.json_response(exc)


def _refused(request, refused: round_services.VoteRefused):
    return Status(refused.status, {"detail": refused.message, "code": refused.code})


def _not_found(what: str):
    return Status(404, {"detail": f"No such {what}.", "code": "not_found"})


# --------------------------------------------------------------------------------- mappings
def _session_summary(s: Session) -> dict:
    return {"id": s.pk, "title": s.title, "kind": s.kind, "status": s.status, "start_date": s.start_date,
            "end_date": s.end_date, "venue": s.venue}


def _synthesis_summary(s: Synthesis) -> dict:
    return {"id": s.pk, "version": s.version, "session": s.session_id, "phase": s.phase_id,
            "published_at": s.published_at, "contribution_count": s.contribution_count,
            "has_votes": bool(s.data and s.data.get("votes"))}


# ------------------------------------------------------------------------------------ reads
class ApiIndex(Schema):
    title: str
    version: str
    openapi: str = Field(..., description="The OpenAPI schema of this API")
    docs: str = Field(..., description="The schema, browsable")
    resources: dict[str, str] = Field(..., description="The main resources; {…} is a path parameter")


@api.get("/", response={200: ApiIndex, **LIMITED}, tags=["index"], summary="Where things are: the schema, its docs, the resources")
def index(request):
    root = reverse("api:index")
    return {"title": api.title, "version": api.version, "openapi": reverse("api:openapi-json"),
            "docs": reverse("api:openapi-view"),
            "resources": {name: root + path for name, path in (
                ("processes", "processes"), ("process", "processes/{slug}"), ("session", "sessions/{session_id}"),
                ("session syntheses", "sessions/{session_id}/syntheses"), ("synthesis", "syntheses/{synthesis_id}"),
                ("round", "rounds/{round_id}"), ("round results", "rounds/{round_id}/results"),
                ("next statement (token)", "rounds/{round_id}/next"),
                ("vote (token)", "rounds/{round_id}/statements/{statement_id}/vote"),
                ("match a text (token)", "sessions/{session_id}/match"))}}


@api.get("/processes", response={200: list[ProcessSummary], **LIMITED}, tags=["processes"], summary="Processes")
def list_processes(request):
    return [{"slug": p.slug, "name": p.name, "mandate": p.mandate, "description": p.description}
            for p in process_selectors.process_list()]


@api.get("/processes/{slug}", response={200: ProcessOut, **ERRORS_READ}, tags=["processes"],
         summary="A process with its phases and sessions")
def get_process(request, slug: Annotated[str, Path(max_length=50)]):
    try:
        p = process_selectors.process_with_timeline(slug)
    except Process.DoesNotExist:
        return _not_found("process")
    return Status(200, {
        "slug": p.slug, "name": p.name, "mandate": p.mandate, "description": p.description,
        "phases": [{"number": ph.number, "name": ph.name, "start_date": ph.start_date, "end_date": ph.end_date,
                    "sessions": [_session_summary(s) for s in ph.sessions.all()]} for ph in p.phases.all()],
    })


@api.get("/sessions/{session_id}", response={200: SessionOut, **ERRORS_READ}, tags=["sessions"],
         summary="A session, its published syntheses and its rating rounds")
def get_session(request, session_id: Id):
    try:
        s = process_selectors.session_detail(session_id)
    except Session.DoesNotExist:
        return _not_found("session")
    return Status(200, {
        **_session_summary(s), "process": s.phase.process.slug, "theme": s.theme,
        "phase": {"number": s.phase.number, "name": s.phase.name},
        "syntheses": [_synthesis_summary(x) for x in synthesis_selectors.published_for_session(s)],
        "rounds": [{"id": r.pk, "title": r.title, "status": r.status, "session": s.pk, "statements": r.n_statements}
                   for r in round_selectors.rounds_for_session(s)],
    })


@api.get("/sessions/{session_id}/syntheses", response={200: list[SynthesisSummary], **ERRORS_READ},
         tags=["syntheses"], summary="The published syntheses of a session, newest first")
def list_session_syntheses(request, session_id: Id):
    try:
        s = process_selectors.session_detail(session_id)
    except Session.DoesNotExist:
        return _not_found("session")
    return Status(200, [_synthesis_summary(x) for x in synthesis_selectors.published_for_session(s)])


@api.get("/syntheses/{synthesis_id}", response={200: SynthesisOut, **ERRORS_READ}, tags=["syntheses"],
         summary="A published synthesis, with the engine's whole report data")
def get_synthesis(request, synthesis_id: Id):
    try:
        s = synthesis_selectors.synthesis_detail(synthesis_id)
    except Synthesis.DoesNotExist:
        return _not_found("synthesis")
    if s.status != Synthesis.Status.PUBLISHED or not s.data:
        return _not_found("published synthesis")  # drafts do not exist for the API
    return Status(200, {**_synthesis_summary(s), "title": s.data.get("title", ""), "data": s.data})


@api.post("/sessions/{session_id}/match", response={200: MatchOut, 401: Error, **ERRORS_READ}, auth=TokenAuth(),
          tags=["syntheses"], summary="The key points of the session's latest published synthesis a text makes",
          description="Each sentence of the text joins a key point by the synthesis's own membership rule: read "
                      "against its nearest key points, it joins those it makes and argues for (matcher and stance "
                      "model), and belongs to the best of them, or to none. Every key point some sentence joins is "
                      "listed with those sentences (verbatim, with offsets into the text) and their match "
                      "probability. 404 when the session has no published synthesis.")
def match_text(request, session_id: Id, payload: MatchIn):
    from rapporteur.web.syntheses.matching import key_points_made

    try:
        s = process_selectors.session_detail(session_id)
    except Session.DoesNotExist:
        return _not_found("session")
    synthesis = synthesis_selectors.latest_published_for_session(s)
    if synthesis is None or not synthesis.data:
        return _not_found("published synthesis")
    made = key_points_made(payload.text, synthesis)
    return Status(200, {"synthesis": synthesis.pk, "version": synthesis.version,
                        "key_points": [m.__dict__ for m in made]})


@api.get("/rounds/{round_id}", response={200: RoundOut, **ERRORS_READ}, tags=["rounds"],
         summary="A rating round and its statements (those accepted by the moderators)")
def get_round(request, round_id: Id):
    try:
        r = round_selectors.round_detail(round_id)
    except Round.DoesNotExist:
        return _not_found("round")
    return Status(200, {"id": r.pk, "title": r.title, "status": r.status, "session": r.session_id,
                 "accepts_statements": r.accepts_statements,
                 "statements": [voting.statement_out(s) for s in round_selectors.numbered(r, round_selectors.accepted_statements(r))]})


@api.get("/rounds/{round_id}/results", response={200: RoundResults, **ERRORS_READ}, tags=["rounds"], by_alias=True,
         summary="The round's latest analysed results (refreshed within seconds of new votes)")
def get_round_results(request, round_id: Id):
    try:
        r = round_selectors.round_detail(round_id)
    except Round.DoesNotExist:
        return _not_found("round")
    round_services.request_refresh(r)
    cached = round_selectors.cached_analysis(r)
    counts = round_selectors.live_counts(r)
    main = next(iter(round_selectors.analyses(cached.data).values())) if cached.data else None
    statements = []
    if main:
        statements = [{"id": int(s["id"]), "text": s["text"], "agree": s["agree"], "disagree": s["disagree"],
                       "pass": s["pass"], "seen": s["seen"]} for s in main["statements"] if not s["moderated_out"]]
    return Status(200, {
        "round": r.pk, "status": r.status, "votes": counts["votes"], "participants": counts["participants"],
        "analysed_votes": main["counts"]["votes"] if main else 0, "analysed_at": cached.computed_at,
        "opinion_groups": main["parameters"]["k"] if main else 0, "statements": statements,
        "consensus": [int(e["statement"]) for e in main["consensus"].get("agree", [])] if main else [],
    })


# ------------------------------------------------------------------------------- delegates
@api.get("/rounds/{round_id}/next", response={200: NextStatement, **ERRORS_AUTH}, auth=TokenAuth(), tags=["voting"],
         summary="The next statement for the token's delegate to rate (the least-voted first)")
def next_statement(request, round_id: Id):
    return Status(*voting.next_answer(request.user, round_id, ballot(round_id, request.user.pk, counts=True)))


@api.post("/rounds/{round_id}/statements/{statement_id}/vote", response={200: VoteOut, 201: VoteOut, **ERRORS_AUTH},
          auth=TokenAuth(), tags=["voting"], summary="Agree, disagree or pass on a statement",
          description="201 when the vote is recorded (new or changed: the latest vote counts, every change is kept); "
                      "200 when it repeats the delegate's current vote (nothing is stored twice). 404 for an unknown "
                      "round or statement, 409 when the round is closed or the statement was withdrawn, 403 for a "
                      "user who is not a delegate of an accredited organisation; 429 past the rate limit of votes "
                      "(per delegate and per address), with Retry-After.")
def vote(request, round_id: Id, statement_id: StatementNumber, payload: VoteIn):
    refused = ratelimit.vote(request.user.pk, request.META)  # before the vote is read: nothing is stored
    if refused is not None:
        raise refused
    return Status(*voting.vote_answer(request.user, round_id, statement_id, payload.vote, ballot(round_id, request.user.pk)))
