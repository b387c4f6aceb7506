"""The synthesis document: the one typed schema of ``synthesis.json``.

Every reader of a synthesis — the renderers, the web platform, the HTTP API (its OpenAPI
description embeds these models) and the tests — knows the document through these models, and
``rapporteur.report.data.synthesis_dict`` validates what it builds against them before anyone
reads it. ``rapporteur schema`` prints the JSON Schema; the copy under ``docs/`` is kept equal to it
by a test.

Versions (``schema_version``):

- 0: documents written before the schema existed (no ``schema_version`` key). They still validate:
  every field added since has a default (``label_source``, ``label_span``, ``quality``, ``minority``,
  ``share_of_speakers``, ``settings``, ``limits``).
- 1: the first versioned document (issue 11). A new field gets a default and the version goes up
  when a reader must tell the two apart; a field is never renamed or removed within a version.
- 2: the rapporteur's desk (issue 33). ``points`` (every analysed point: the pool a rapporteur moves
  points from and to), ``rivals`` (the model's reading of opposed key points, kept so that recomputing
  needs no model), ``revision`` (the edits, by whom, on which version, and the machine's draft), and on
  each key point, area of convergence and divergence its ``origin`` (machine, edited, added) and a
  rapporteur's ``note``. A key point labelled in the rapporteur's own words has ``label_source:
  "rapporteur"`` and the machine's label in ``machine_label``. Documents of versions 0 and 1 still read;
  only a document with ``points`` can be revised.

What a platform adds after a rating round (``key_points[].measured``, ``convergence[].measured``,
``divergence[].measured`` and ``votes``: see ``rapporteur.analysis.measured``) is part of the schema,
optional. Unknown keys are refused, so a new key is declared here first.

Example::

    >>> from rapporteur.schema import InvalidSynthesis, validate_synthesis
    >>> try:
    ...     validate_synthesis({"title": "t"})
    ... except InvalidSynthesis as error:
    ...     print(str(error)[:79])
    the synthesis document does not follow schema version 2: about: Field required;
"""
from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rapporteur.edits import Edit, Mark

SCHEMA_VERSION = 2
Origin = Literal["machine", "edited", "added"]


class InvalidSynthesis(ValueError):
    """A synthesis document that does not follow the schema; the message names each wrong field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuotedPoint(_Strict):
    """A point as a report quotes it: the verbatim text, who said it, where it is in its source."""

    id: str
    text: str = Field(description="verbatim: the contribution's text [start:end]")
    stakeholder: str
    type: str = Field(description="stakeholder type, e.g. 'Member State', 'civil society'")
    country: str | None
    region: str | None = Field(description="M49 region of the stakeholder's country")
    subregion: str | None
    contribution: str = Field(description="id of the contribution the point is cut from")
    source: str | None = Field(description="the file or row the contribution was read from")
    session: str | None
    start: int = Field(description="character offset of the point in its contribution's text")
    end: int
    theme: str | None
    stance: str = Field(description="the lexical stance cue's reading: support, oppose, reservation or neutral")
    stance_cue: str | None
    key_point: str | None = None
    match: float | None = Field(default=None, description="probability that the point makes its key point")
    language: str = Field(default="en", description="ISO 639-1 code of the point's language (rapporteur.lang)")


class Measured(BaseModel):
    """A rating round's measured agreement on an item (see rapporteur.analysis.measured)."""

    model_config = ConfigDict(extra="allow")
    confirmed: bool | None = None
    reason: str | None = None


class KeyPoint(_Strict):
    """A shared claim: a verbatim label and every point that makes it."""

    id: str
    label: str = Field(description="verbatim: the label point's contribution text [label_start:label_end]")
    label_point: str
    label_start: int
    label_end: int
    label_span: bool = False
    label_source: QuotedPoint | Literal["rapporteur"] | None = Field(
        default=None, description='the point the label is cut from, or "rapporteur": the rapporteur\'s own wording')
    machine_label: str | None = Field(default=None, description="the machine's label, when the rapporteur relabelled it")
    quality: float | None = None
    keywords: list[str]
    theme: str | None
    theme_label: str | None
    n_stakeholders: int
    n_points: int
    share_of_speakers: float | None = None
    minority: bool = False
    stakeholders: list[str]
    regions: dict[str, int]
    types: dict[str, int]
    point_ids: list[str]
    points: list[QuotedPoint]
    against: dict[str, float] = Field(description="point id -> probability 'for' of points that argue against it")
    measured: Measured | None = None
    languages: dict[str, int] | None = Field(default=None, description="language code -> points of the key point in it")
    label_language: str | None = None
    # a stocktaking (rapporteur.analysis.stocktake) reads each key point session by session
    trend: Literal["held", "emerging", "fading", "session-specific", "recurring", "single session"] | None = None
    trend_rule: str | None = None
    by_session: dict[str, "SessionPrevalence"] | None = None
    origin: Origin = Field(default="machine", description="machine: as the machine drew it; edited or added by the rapporteur")
    note: str | None = Field(default=None, description="the rapporteur's note")


class SessionPrevalence(_Strict):
    stakeholders: int = Field(description="distinct speakers of the session who make the key point")
    share: float = Field(description="those speakers / every speaker of the session")
    converges: bool
    point_ids: list[str]


class Convergence(_Strict):
    number: int
    key_point: str
    label: str
    n_stakeholders: int
    regions: dict[str, int]
    types: dict[str, int]
    rule: str = Field(description="the rule that made it an area of convergence, with its figures")
    point_ids: list[str]
    points: list[QuotedPoint]
    measured: Measured | None = None
    origin: Origin = "machine"
    note: str | None = None


class Side(_Strict):
    position: Literal["for", "against", "reservations", "spoke to it"]  # the last: who spoke to an unaddressed item
    key_point: str | None
    label: str | None
    stakeholders: list[str]
    regions: dict[str, int]
    types: dict[str, int]
    point_ids: list[str] = Field(description="every point on this side")
    quoted_point_ids: list[str] = Field(description="the points quoted for this side")
    points: list[QuotedPoint]
    stance_probability: dict[str, float]


class Divergence(_Strict):
    number: int
    key_point: str | None = Field(description="None for an expected matter nobody addressed")
    label: str
    kind: Literal["opposed", "disputed", "unaddressed"]
    rule: str
    point_ids: list[str]
    expected: str | None
    addressed_by: int | None
    of_stakeholders: int | None
    sides: list[Side]
    measured: Measured | None = None
    id: str | None = Field(default=None, description="opposed-KP2, disputed-KP5, unaddressed-<expected item>: stable across edits")
    origin: Origin = "machine"
    note: str | None = None


class GroupShare(_Strict):
    name: str
    speakers: int
    reference: int | None
    coverage: float | None
    ratio: float | None
    flag: str | None


class ThemeRepresentation(_Strict):
    theme: str
    speakers: int
    regions: list[GroupShare]


class Representation(_Strict):
    speakers: int
    member_states: int
    regions: list[GroupShare]
    subregions: list[GroupShare]
    types: list[GroupShare]
    themes: list[ThemeRepresentation] = []
    absent_types: list[str] = []
    no_country: int = 0


class CompiledItem(_Strict):
    """A recommendation or a practice, as said."""

    point_id: str
    theme: str | None
    theme_label: str
    point: QuotedPoint


class Skipped(_Strict):
    source: str | None
    line: int | None
    reason: str
    skipped: bool


class Theme(_Strict):
    id: str
    label: str
    description: str | None = None


class Taxonomy(_Strict):
    name: str
    source: str | None = None
    themes: list[Theme]


class StocktakeSession(_Strict):
    id: str
    label: str
    date: str | None
    contributions: int
    stakeholders: int


class AcrossSessions(_Strict):
    kind: Literal["within a session", "between sessions"]
    session: str
    key_point: str | None
    label: str
    rule: str
    point_ids: list[str]


class Fact(_Strict):
    """A measured fact of the process assessment: its text, figure, the rule that produced it, its evidence."""

    text: str
    figure: float | int | None
    rule: str
    point_ids: list[str]
    edited: bool = Field(default=False, description="True when a secretariat wrote or changed the text")


class Assessment(_Strict):
    strengths: list[Fact]
    weaknesses: list[Fact]
    opportunities: list[Fact]
    threats: list[Fact]


class LanguageCount(_Strict):
    name: str
    direction: Literal["ltr", "rtl"]
    points: int = Field(description="points in the language")
    analysed: int = Field(description="of those, points analysed (not procedural, headings, fragments or unread)")
    home: bool = Field(description="the language has a home in rapporteur.lang (its cues are read)")


class StageLanguages(_Strict):
    stage: str
    read: list[str] = Field(description="language codes this stage read with its own model or rules")
    note: str


class Languages(_Strict):
    """What languages the input was in, and what each stage could do in each (issue 15)."""

    mode: Literal["auto", "en"]
    counts: dict[str, LanguageCount]
    stages: list[StageLanguages]
    not_read_by_learned: int = Field(description="analysed points the English-only learned models did not read")


class MachineItem(_Strict):
    id: str
    label: str
    point_ids: list[str] = []


class MachineDraft(_Strict):
    """The machine's lists, as drawn before any edit: what a reader compares the signed synthesis with."""

    key_points: list[MachineItem]
    convergence: list[str] = Field(description="the key points listed as areas of convergence")
    divergence: list[MachineItem]


class NotReplayed(_Strict):
    """An edit of a previous revision that no longer applies to a new run (``revision.replay``)."""

    number: int = Field(description="its place in the previous revision, from 1")
    edit: dict[str, Any]
    reason: str


class Revision(_Strict):
    """The rapporteur's edits (``rapporteur.revision``), applied in order to the machine's draft."""

    edits: list[Edit]
    based_on_version: int | None = Field(default=None, description="the version of the draft the edits were made on")
    by: str | None = None
    at: str | None = Field(default=None, description="ISO 8601 time of the last edit")
    # what the edits leave standing, read by every recomputation (``revision.recompute``)
    dismissed: list[str] = Field(default=[], description="ids of the items the rapporteur dismissed")
    promoted: list[str] = Field(default=[], description="key points the rapporteur listed as areas of convergence")
    marks: list[Mark] = Field(default=[], description="the divergences the rapporteur marked")
    notes: dict[str, str] = Field(default={}, description="item id -> the rapporteur's note")
    order: dict[str, list[str]] = Field(default={}, description="list name -> the ids the rapporteur put first, in order")
    machine: MachineDraft
    # a new run of the session with a previous revision's edits replayed (``revision.replay``)
    replayed_from: int | None = Field(default=None, description="the version whose edits were replayed on this run")
    not_replayed: list[NotReplayed] = Field(default=[], description="that version's edits that no longer apply")


class SynthesisDocument(_Strict):
    """``synthesis.json``: everything a report shows, each claim with the ids of its points."""

    schema_version: int = Field(default=0, description="absent (0) before the schema; see rapporteur.schema")
    title: str
    about: str | None
    taxonomy: Taxonomy
    counts: dict[str, int]
    key_points: list[KeyPoint]
    convergence: list[Convergence]
    divergence: list[Divergence]
    representation: Representation
    recommendations: list[CompiledItem]
    practices: list[CompiledItem]
    unclustered_point_ids: list[str]
    skipped: list[Skipped]
    settings: dict[str, Any] = {}
    limits: list[str] = []
    votes: dict[str, Any] | None = Field(default=None, description="a rating round's results, once added")
    languages: Languages | None = None
    # a stocktaking over several sessions (rapporteur.analysis.stocktake)
    kind: Literal["synthesis", "stocktake"] = "synthesis"
    sessions: list[StocktakeSession] | None = None
    across_sessions: list[AcrossSessions] | None = None
    representation_by_session: dict[str, Any] | None = None
    assessment: Assessment | None = None
    # the rapporteur's desk (schema version 2; see rapporteur.revision)
    points: list[QuotedPoint] | None = Field(default=None, description="every analysed point, in or out of key points")
    rivals: list[tuple[str, str]] | None = Field(default=None, description="key point pairs read as claiming opposite things")
    revision: Revision | None = None


KeyPoint.model_rebuild()


def validate_synthesis(data: dict) -> dict:
    """``data`` unchanged when it follows the schema; otherwise ``InvalidSynthesis`` naming every wrong field."""
    try:
        SynthesisDocument.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}"
                             for e in error.errors()[:10])
        more = f" (and {error.error_count() - 10} more)" if error.error_count() > 10 else ""
        raise InvalidSynthesis(f"the synthesis document does not follow schema version {SCHEMA_VERSION}: "
                               f"{problems}{more}") from None
    return data


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of ``synthesis.json``."""
    schema = SynthesisDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://rapporteur.example/schema/synthesis/v{SCHEMA_VERSION}.json"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def read_synthesis(path) -> dict:
    """A ``synthesis.json`` file, validated; ``InputError`` naming the file when it is not JSON, was
    written by a newer rapporteur (a schema version this one does not know) or does not follow the schema."""
    from pathlib import Path

    from rapporteur.errors import InputError

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(str(path), f"is not a synthesis.json (not JSON: {error})") from None
    if not isinstance(data, dict):
        raise InputError(str(path), "is not a synthesis.json (not a JSON object)")
    version = data.get("schema_version", 0)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise InputError(str(path), f"was written with synthesis schema version {version!r}; this rapporteur reads "
                                    f"versions 0 to {SCHEMA_VERSION}: update rapporteur")
    try:
        return validate_synthesis(data)
    except InvalidSynthesis as error:
        raise InputError(str(path), str(error)) from None


def read_document(path) -> SynthesisDocument:
    """``read_synthesis``, typed: the ``SynthesisDocument`` of a ``synthesis.json`` file."""
    return SynthesisDocument.model_validate(read_synthesis(path))
