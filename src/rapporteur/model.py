"""Domain objects shared by every stage: who speaks, what they said, and the points in it.

Plain dataclasses, no behaviour beyond validation and serialisation, so every stage can take and
return them and the web layer can map them to its own tables.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


class StakeholderType(str, Enum):
    """The fixed vocabulary of stakeholder types (GCM modalities resolution A/RES/71/280)."""

    MEMBER_STATE = "Member State"
    OBSERVER_STATE = "observer State"
    UN_ENTITY = "UN entity/IO"
    REGIONAL_ORGANISATION = "regional organisation"
    CIVIL_SOCIETY = "civil society"
    PRIVATE_SECTOR = "private sector"
    ACADEMIA = "academia"
    LOCAL_GOVERNMENT = "local government"
    PARLIAMENT = "parliament"
    TRADE_UNION = "trade union"
    NHRI = "NHRI"
    OTHER = "other"

    @classmethod
    def parse(cls, value: str) -> "StakeholderType":
        """Read a type from user input, forgiving case, spacing and common synonyms.

        >>> StakeholderType.parse("member state")
        <StakeholderType.MEMBER_STATE: 'Member State'>
        >>> StakeholderType.parse("NGO")
        <StakeholderType.CIVIL_SOCIETY: 'civil society'>
        """
        key = " ".join(value.strip().lower().replace("_", " ").replace("-", " ").split())
        for member in cls:
            if key == member.value.lower():
                return member
        if key in _TYPE_SYNONYMS:
            return _TYPE_SYNONYMS[key]
        raise ValueError(
            f"unknown stakeholder type {value!r}; expected one of: "
            + ", ".join(m.value for m in cls)
        )


_TYPE_SYNONYMS = {
    "state": StakeholderType.MEMBER_STATE,
    "government": StakeholderType.MEMBER_STATE,
    "member": StakeholderType.MEMBER_STATE,
    "observer": StakeholderType.OBSERVER_STATE,
    "un": StakeholderType.UN_ENTITY,
    "un entity": StakeholderType.UN_ENTITY,
    "io": StakeholderType.UN_ENTITY,
    "international organisation": StakeholderType.UN_ENTITY,
    "international organization": StakeholderType.UN_ENTITY,
    "un entity/io": StakeholderType.UN_ENTITY,
    "regional organization": StakeholderType.REGIONAL_ORGANISATION,
    "ngo": StakeholderType.CIVIL_SOCIETY,
    "csos": StakeholderType.CIVIL_SOCIETY,
    "cso": StakeholderType.CIVIL_SOCIETY,
    "business": StakeholderType.PRIVATE_SECTOR,
    "academic": StakeholderType.ACADEMIA,
    "think tank": StakeholderType.ACADEMIA,
    "city": StakeholderType.LOCAL_GOVERNMENT,
    "local authority": StakeholderType.LOCAL_GOVERNMENT,
    "parliamentarian": StakeholderType.PARLIAMENT,
    "union": StakeholderType.TRADE_UNION,
    "national human rights institution": StakeholderType.NHRI,
}


@dataclass(frozen=True)
class Stakeholder:
    """Who speaks. ``region``/``subregion`` are UN M49 names derived from ``country``."""

    name: str
    type: StakeholderType = StakeholderType.OTHER
    country: str | None = None  # ISO 3166-1 alpha-3
    region: str | None = None  # M49 region, e.g. "Africa"
    subregion: str | None = None  # M49 sub-region, e.g. "Sub-Saharan Africa"

    @property
    def id(self) -> str:
        return self.name

    def to_dict(self) -> dict:
        d = asdict(self)
        d["type"] = self.type.value
        return d


@dataclass
class Contribution:
    """A statement, speaking note or submission, with its full source text."""

    id: str
    stakeholder: Stakeholder
    text: str
    session: str | None = None
    date: str | None = None  # ISO 8601, or a year
    source: str | None = None  # file name (and line for CSV rows)
    language: str | None = None  # ISO 639-1: as declared by the input, then as read (``lang.detect``)


class PointKind(str, Enum):
    SENTENCE = "sentence"
    BULLET = "bullet"
    FRAGMENT = "fragment"  # fewer than four words (a heading, "Not good."): kept, not analysed
    PROCEDURAL = "procedural"  # thanks, greetings, "I give the floor": kept, but not analysed
    HEADING = "heading"  # a title or heading (DOCX Heading/Title style, "# …", a title line): structure, not analysed
    FRONT_MATTER = "front matter"  # letterhead label, "Check against delivery", a dateline, a subtitle: not analysed
    SIGNATURE = "signature"  # the short lines after a document's last sentence (name, title): not analysed
    INTRODUCTION = "self-introduction"  # the speaker about itself ("X speaks for …", "We are a network of …")
    UNREAD = "unread language"  # in a language with no home in ``rapporteur.lang``: kept, named, not analysed


@dataclass
class Point:
    """A sentence, bullet or heading of a contribution, at ``start:end`` of its text.

    ``contribution.text[start:end]`` is the verbatim span, always recoverable. ``text`` is that span
    as shown (``rapporteur.text.shown``): line breaks and runs of spaces left by the page layout
    become one space and a word hyphenated at a line end is joined; no word is rewritten, so
    ``text == shown(contribution.text[start:end])`` always holds and every quote is the source's.
    """

    id: str
    contribution_id: str
    text: str
    start: int
    end: int
    kind: PointKind = PointKind.SENTENCE
    language: str = "en"  # ISO 639-1 (``lang.detect``; "en" when languages are not read)

    @property
    def analysed(self) -> bool:
        return self.kind in (PointKind.SENTENCE, PointKind.BULLET)


@dataclass
class InputProblem:
    """Something in the input that could not be used as given, with where it was."""

    source: str  # file name
    reason: str
    line: int | None = None
    skipped: bool = True  # False: kept, with the problem noted (e.g. unknown country)

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        verb = "skipped" if self.skipped else "kept"
        return f"{where}: {self.reason} ({verb})"


@dataclass
class Corpus:
    """What ingestion returns: the contributions read and the problems met on the way."""

    contributions: list[Contribution] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)

    def extend(self, other: "Corpus") -> None:
        self.contributions.extend(other.contributions)
        self.problems.extend(other.problems)
