"""The edits a rapporteur makes to a synthesis, as data: one typed model per kind, told apart by ``do``.

Part of the schema (``rapporteur.schema.Revision`` holds them); applied by ``rapporteur.revision``.

A revision is an ordered list of them. Written by hand they are YAML (``examples/demo-edits.yaml``)::

    - do: relabel            # a verbatim span of one of the key point's points, or the rapporteur's own wording
      key_point: KP3
      point: "ghana.txt#4"   # with words: the verbatim words, found in the point's text
      words: "recruitment fees should not be charged to workers"
    - do: merge              # the first key point takes the others' points
      key_points: [KP2, KP7]
    - do: split              # the points named go to a new key point, labelled by the first of them
      key_point: KP1
      points: ["italy.docx#12", "ghana.txt#9"]
    - do: move               # to another key point, to "new" (a key point of its own) or to none
      point: "jordan.pdf#7"
      to: KP4
    - do: drop               # not a claim: its points return to the pool
      key_point: KP5
    - do: promote            # a point (unassigned, a recommendation, a practice) becomes a key point;
      point: "mfa.txt#3"     # a key point (a minority view) is listed among the areas of convergence
    - do: mark               # a divergence: opposed (with against), disputed, or unaddressed (with expected)
      kind: opposed
      key_point: KP2
      against: KP6
    - do: dismiss            # a divergence or an area of convergence, by id (e.g. opposed-KP2, KP4)
      item: disputed-KP5
    - do: reorder
      list: convergence
      order: [KP4, KP1]
    - do: note
      item: KP1
      text: "Raised in every regional consultation as well."

``anchors`` and ``read`` are written by the engine as it applies an edit (the label point of each key
point the edit names, for ``replay``; the model's one reading of a moved point), never by a person.
"""
from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator


class _Edit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    anchors: dict[str, str] = Field(default_factory=dict, description="key point id -> its label point, when applied")


class Relabel(_Edit):
    """A new label: a verbatim span of one of the key point's points (``point`` with ``start``/``end``,
    offsets in its contribution's text, or ``words`` found in it), or the rapporteur's own ``text``."""

    do: Literal["relabel"]
    key_point: str
    point: str | None = None
    start: int | None = None
    end: int | None = None
    words: str | None = None
    text: str | None = None

    @model_validator(mode="after")
    def _one_source(self):
        if (self.text is None) == (self.point is None):
            raise ValueError("relabel takes either point (a verbatim span of one of its points) or text (your own wording)")
        if self.point is not None and self.words is None and (self.start is None or self.end is None):
            raise ValueError("relabel with point needs words, or start and end")
        if self.text is not None and not self.text.strip():
            raise ValueError("relabel text is empty")
        return self


class Merge(_Edit):
    do: Literal["merge"]
    key_points: list[str] = Field(min_length=2)


class Split(_Edit):
    do: Literal["split"]
    key_point: str
    points: list[str] = Field(min_length=1)
    read: dict[str, float] = Field(default_factory=dict)


class Move(_Edit):
    do: Literal["move"]
    point: str
    to: str | None = Field(description='a key point id, "new" (a key point of its own) or null (out of every key point)')
    read: dict[str, float] = Field(default_factory=dict)


class Drop(_Edit):
    do: Literal["drop"]
    key_point: str


class Promote(_Edit):
    do: Literal["promote"]
    point: str | None = None
    key_point: str | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.point is None) == (self.key_point is None):
            raise ValueError("promote takes either point (to a key point) or key_point (to an area of convergence)")
        return self


class Mark(_Edit):
    do: Literal["mark"]
    kind: Literal["opposed", "disputed", "unaddressed"]
    key_point: str | None = None
    against: str | None = None
    expected: str | None = None
    points: list[str] = Field(default_factory=list, description="disputed: the reservations; unaddressed: who spoke to it")

    @model_validator(mode="after")
    def _fields(self):
        if self.kind == "opposed" and not (self.key_point and self.against):
            raise ValueError("mark opposed needs key_point and against (the key point that claims the opposite)")
        if self.kind == "disputed" and not self.key_point:
            raise ValueError("mark disputed needs key_point")
        if self.kind == "unaddressed" and not self.expected:
            raise ValueError("mark unaddressed needs expected (the matter nobody addressed)")
        return self


class Dismiss(_Edit):
    do: Literal["dismiss"]
    item: str = Field(description="a divergence id (opposed-KP2, disputed-KP5, unaddressed-…) or an area of convergence (its key point)")


class Reorder(_Edit):
    do: Literal["reorder"]
    list: Literal["key_points", "convergence", "divergence"]
    order: list[str] = Field(min_length=1)


class Note(_Edit):
    do: Literal["note"]
    item: str = Field(description="a key point (its note shows on its area of convergence too) or a divergence id")
    text: str


Edit = Annotated[Union[Relabel, Merge, Split, Move, Drop, Promote, Mark, Dismiss, Reorder, Note],
                 Field(discriminator="do")]
EDIT_KINDS = ("relabel", "merge", "split", "move", "drop", "promote", "mark", "dismiss", "reorder", "note")
_EDITS = TypeAdapter(list[Edit])


class EditsFileError(ValueError):
    """An edits file that cannot be read: the message names the file and the line."""


def parse_edits(data, where: str = "edits", lines: list[int] | None = None) -> list:
    """Typed edits from plain data (a list of mappings); ``EditsFileError`` naming the edit (and its line,
    when ``lines`` gives each item's line) and the wrong field."""
    if not isinstance(data, list):
        raise EditsFileError(f"{where}: a list of edits is expected (each begins with '- do: …')")
    try:
        return _EDITS.validate_python(data)
    except ValidationError as error:
        first = error.errors()[0]
        index = first["loc"][0] if first["loc"] and isinstance(first["loc"][0], int) else 0
        field = ".".join(str(p) for p in first["loc"][1:] if p not in EDIT_KINDS)
        line = f" line {lines[index]}" if lines and index < len(lines) else ""
        raise EditsFileError(f"{where}{line} (edit {index + 1}): {field + ': ' if field else ''}{first['msg']}") from None


def read_edits(path) -> list:
    """The edits of a YAML (or JSON) file; ``EditsFileError`` naming the file and line when it is not."""
    from pathlib import Path

    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EditsFileError(f"{path}: cannot be read ({error})") from None
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        # the line where what is wrong began (an unclosed bracket's own line), else where it was found
        began, found = getattr(error, "context_mark", None), getattr(error, "problem_mark", None)
        mark = began or found
        at = f" line {mark.line + 1}" if mark else ""
        what = " ".join(filter(None, [getattr(error, "context", None), getattr(error, "problem", None)])) or str(error)
        seen = f" at line {found.line + 1}" if began and found and found.line != began.line else ""
        raise EditsFileError(f"{path}{at}: not valid YAML ({what}{seen})") from None
    if data is None:
        return []
    lines = [node.start_mark.line + 1 for node in root.value] if isinstance(root, yaml.SequenceNode) else None
    return parse_edits(data, str(path), lines)


def dump_edits(edits: list) -> list[dict]:
    """Edits as plain data, without the fields left at their defaults (what a person would have written)."""
    return [{"do": edit.do, **{k: v for k, v in edit.model_dump(exclude_defaults=True).items() if k != "anchors"},
             **({"anchors": edit.anchors} if edit.anchors else {})} for edit in edits]
