"""Who spoke and who is missing, against the 193 UN Member States by M49 region.

Rules:
- Member States: for each M49 region (and sub-region), coverage = Member States of it that spoke /
  its Member States; ratio = its share among speaking Member States / its share of the 193. A
  region is flagged under-represented when the ratio is below ``flag_ratio`` (default 0.8), and
  absent when none of its Member States spoke (when any Member State spoke at all).
- Stakeholder types: counts of speakers per type; every type of the fixed vocabulary with no
  speaker is listed as absent (a rapporteur notes, for instance, that no local government spoke).
- Per theme: the same regional ratio among the stakeholders who raised the theme, against all
  speakers; a region that spoke but is absent from a theme, or below ``flag_ratio`` of its overall
  share on it, is flagged for that theme.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rapporteur.geography import REGIONS, member_states
from rapporteur.model import Stakeholder, StakeholderType


@dataclass
class GroupShare:
    name: str
    speakers: int
    reference: int | None  # Member States in the group (None for non-geographic groups)
    coverage: float | None
    ratio: float | None
    flag: str | None  # "absent", "under-represented" or None


@dataclass
class ThemeRepresentation:
    theme: str
    speakers: int
    regions: list[GroupShare]


@dataclass
class Representation:
    speakers: int
    member_states: int
    regions: list[GroupShare]
    subregions: list[GroupShare]
    types: list[GroupShare]
    themes: list[ThemeRepresentation] = field(default_factory=list)
    absent_types: list[str] = field(default_factory=list)
    no_country: int = 0


def audit_representation(
    speakers: list[Stakeholder],
    theme_speakers: dict[str, list[Stakeholder]],
    flag_ratio: float = 0.8,
) -> Representation:
    unique = {s.name: s for s in speakers}.values()
    states = [s for s in unique if s.type is StakeholderType.MEMBER_STATE and s.country]
    reference = member_states()
    ref_region = Counter(c.region for c in reference)
    ref_subregion = Counter(c.subregion for c in reference)
    regions = _shares(Counter(s.region for s in states), ref_region, len(states), len(reference), flag_ratio, REGIONS)
    subregions = _shares(
        Counter(s.subregion for s in states), ref_subregion, len(states), len(reference), flag_ratio,
        sorted(ref_subregion),
    )
    type_counts = Counter(s.type.value for s in unique)
    types = [
        GroupShare(t.value, type_counts.get(t.value, 0), None, None, None,
                   None if type_counts.get(t.value) else "absent")
        for t in StakeholderType
    ]
    overall_region = Counter(s.region for s in unique if s.region)
    total_with_region = sum(overall_region.values())
    themes = []
    for theme, who in theme_speakers.items():
        who_unique = list({s.name: s for s in who}.values())
        counts = Counter(s.region for s in who_unique if s.region)
        themes.append(ThemeRepresentation(
            theme=theme,
            speakers=len(who_unique),
            regions=_shares(counts, overall_region, sum(counts.values()), total_with_region,
                            flag_ratio, [r for r in REGIONS if overall_region.get(r)]),
        ))
    return Representation(
        speakers=len(unique),
        member_states=len(states),
        regions=regions,
        subregions=subregions,
        types=types,
        themes=themes,
        absent_types=[t.name for t in types if t.flag == "absent" and t.name != StakeholderType.OTHER.value],
        no_country=sum(1 for s in unique if not s.country),
    )


def _shares(counts, reference, total, reference_total, flag_ratio, order) -> list[GroupShare]:
    shares = []
    for name in order:
        spoke, expected = counts.get(name, 0), reference.get(name, 0)
        if not expected:
            continue
        coverage = spoke / expected
        ratio = (spoke / total) / (expected / reference_total) if total else None
        flag = None
        if total:
            flag = "absent" if spoke == 0 else "under-represented" if ratio < flag_ratio else None
        shares.append(GroupShare(name, spoke, expected, round(coverage, 4),
                                 None if ratio is None else round(ratio, 4), flag))
    return shares
