"""Stocktaking: one key point set over several sessions, read session by session, and the process assessed.

Input: a synthesis document (``synthesis.json``) made over the contributions of every session at once
(so that a key point is the same claim in every session), and the sessions in order. Every figure
below is counted from the document's points: a key point's points carry their session and speaker.

Prevalence per session — for key point K and session S:
  stakeholders(K, S) = distinct speakers of S with a point that makes K;
  share(K, S) = stakeholders(K, S) / speakers of S (every speaker of S, analysed or not).
  K *converges in* S when stakeholders(K, S) ≥ ``smallest_key_point(speakers of S, AgreementRules)``
  (at least ``min_stakeholders`` and at least ``min_share`` of S's speakers: the floor a key point of
  S alone would need to converge).

Trend classes (``TrendRules``), the first that applies, each with its rule and figures:
  *emerging*: with at least ``min_sessions`` sessions in known order, K does not converge in the first
      session, converges in the last, and its mean share over the later half of the sessions is at
      least ``rise_ratio`` times its mean share over the earlier half (a zero earlier half counts) —
      read before *held*, so that a claim that rises to converge almost everywhere is said to emerge;
  *fading*: the mirror of emerging;
  *held*: K converges in at least ``held_share`` of the sessions (and in two or more);
  *session-specific*: K converges in exactly one session, or at least ``specific_share`` of its
      stakeholders spoke in one session;
  *recurring*: raised in several sessions without any of the above.
  With one session every key point is *single session* (said so); when some sessions have no date,
  emerging and fading are not read (said so).

Divergence across sessions:
  *within a session*: a divergence item of the document whose two sides both have speakers in S;
  *between sessions*: a key point that converges in some sessions while in another session at least
      as many speakers argue against it (its ``against`` points) as make it.

Representation: ``audit_representation`` per session and over all sessions, and the Member States
that spoke in no session (against the 193).

The process assessed (``AssessmentRules``): facts only where the data supports them —
  strengths: the share of key points that are areas of convergence (when ≥ ``converging_share``);
      recommendations compiled (when any); the share of speakers that are not States (when
      ≥ ``non_state_share``);
  weaknesses: sub-regions flagged absent or under-represented among the States that spoke; stakeholder
      types absent, or thin (fewer than ``thin_type`` speakers);
  opportunities: themes with at least ``rich_theme`` recommendations and practices;
  threats: speakers concentrated in few regions (the two largest regions hold at least
      ``concentration`` of the State speakers); matters raised by many (at least ``many_share`` of
      all speakers) but converging in at most one session.
Each fact is ``{text, figure, rule, point_ids}``; ``point_ids`` are its evidence (empty only for
a fact about who did not speak).
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

from rapporteur.analysis.convergence import AgreementRules
from rapporteur.analysis.keypoints import smallest_key_point
from rapporteur.analysis.representation import audit_representation
from rapporteur.geography import member_states
from rapporteur.model import Stakeholder, StakeholderType
from rapporteur.schema import validate_synthesis


@dataclass(frozen=True)
class TrendRules:
    held_share: float = 2 / 3
    min_sessions: int = 3
    rise_ratio: float = 2.0
    specific_share: float = 0.6


@dataclass(frozen=True)
class AssessmentRules:
    converging_share: float = 0.2
    non_state_share: float = 0.2
    thin_type: int = 2
    rich_theme: int = 3
    concentration: float = 0.6
    many_share: float = 0.1


@dataclass
class SessionInfo:
    """A session as a stocktaking reads it: its id, label, date (None when unknown) and speakers."""

    id: str
    label: str
    date: str | None
    contributions: int
    speakers: list[Stakeholder]


def sessions_of(corpus) -> list[SessionInfo]:
    """The sessions of a corpus in order: dated ones by date, then undated ones as met."""
    seen: dict[str, SessionInfo] = {}
    for c in corpus.contributions:
        key = c.session or "(no session)"
        info = seen.setdefault(key, SessionInfo(key, key, c.date, 0, []))
        info.contributions += 1
        if info.date is None or (c.date and c.date < info.date):
            info.date = c.date or info.date
        if all(s.name != c.stakeholder.name for s in info.speakers):
            info.speakers.append(c.stakeholder)
    dated = sorted((s for s in seen.values() if s.date), key=lambda s: (s.date, s.id))
    return dated + [s for s in seen.values() if not s.date]


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def prevalence(document: dict, sessions: list[SessionInfo], agreement: AgreementRules = AgreementRules()) -> dict:
    """``{key point id: {session id: {"stakeholders", "share", "converges", "point_ids"}}}``."""
    out = {}
    for kp in document["key_points"]:
        per: dict[str, set] = defaultdict(set)
        ids: dict[str, list] = defaultdict(list)
        for p in kp["points"]:
            per[p["session"] or "(no session)"].add(p["stakeholder"])
            ids[p["session"] or "(no session)"].append(p["id"])
        row = {}
        for s in sessions:
            n = len(per.get(s.id, ()))
            row[s.id] = {"stakeholders": n, "share": round(n / max(len(s.speakers), 1), 4),
                         "converges": n > 0 and n >= smallest_key_point(len(s.speakers), agreement),
                         "point_ids": ids.get(s.id, [])}
        out[kp["id"]] = row
    return out


def classify(row: dict, sessions: list[SessionInfo], rules: TrendRules = TrendRules()) -> tuple[str, str]:
    """The trend class of one key point's per-session row, and the rule with its figures."""
    n = len(sessions)
    if n < 2:
        return "single session", "one session: no trend is read"
    order = [s.id for s in sessions]
    converging = [sid for sid in order if row[sid]["converges"]]
    held_floor = max(2, math.ceil(rules.held_share * n))
    ordered = all(s.date for s in sessions)
    if ordered and n >= rules.min_sessions:
        half = n // 2
        early = sum(row[sid]["share"] for sid in order[:half]) / half
        late = sum(row[sid]["share"] for sid in order[n - half:]) / half
        first, last = row[order[0]]["converges"], row[order[-1]]["converges"]
        if not first and last and late >= rules.rise_ratio * early and late > 0:
            return "emerging", (f"does not converge in {order[0]}, converges in {order[-1]}; mean share "
                                f"{_pct(early)} in the earlier {half} sessions, {_pct(late)} in the later {half} "
                                f"(emerging: at least {rules.rise_ratio:g}×)")
        if first and not last and early >= rules.rise_ratio * late and early > 0:
            return "fading", (f"converges in {order[0]}, not in {order[-1]}; mean share {_pct(early)} in the "
                              f"earlier {half} sessions, {_pct(late)} in the later {half} (fading: at least "
                              f"{rules.rise_ratio:g}× lower)")
    if len(converging) >= held_floor:
        return "held", f"converges in {len(converging)} of {n} sessions (held: at least {held_floor})"
    total = sum(row[sid]["stakeholders"] for sid in order)
    top = max(order, key=lambda sid: row[sid]["stakeholders"])
    if len(converging) == 1:
        return "session-specific", f"converges in one session only ({converging[0]})"
    if total and row[top]["stakeholders"] / total >= rules.specific_share:
        return "session-specific", (f"{row[top]['stakeholders']} of its {total} mentions come from {top} "
                                    f"(session-specific: at least {_pct(rules.specific_share)})")
    raised = sum(1 for sid in order if row[sid]["stakeholders"])
    note = "" if ordered or n < rules.min_sessions else "; some sessions have no date, so no rise or fall is read"
    return "recurring", f"raised in {raised} of {n} sessions, converging in {len(converging)}{note}"


def divergences_across(document: dict, table: dict, sessions: list[SessionInfo]) -> list[dict]:
    """Matters on which a session's speakers part, and key points on which sessions part."""
    session_of = {}
    for kp in document["key_points"]:
        for p in kp["points"]:
            session_of[p["id"]] = p["session"] or "(no session)"
    for item in document["divergence"]:
        for side in item["sides"]:
            for p in side["points"]:
                session_of[p["id"]] = p["session"] or "(no session)"
    out = []
    for item in document["divergence"]:
        if len(item["sides"]) < 2:
            continue
        by_side = [{session_of.get(pid) for pid in side["point_ids"]} for side in item["sides"]]
        both = [s.id for s in sessions if all(s.id in sides for sides in by_side)]
        for sid in both:
            out.append({"kind": "within a session", "session": sid, "key_point": item["key_point"],
                        "label": item["label"],
                        "rule": f"both sides of divergence {item['number']} have speakers in {sid}",
                        "point_ids": [pid for side in item["sides"] for pid in side["point_ids"]
                                      if session_of.get(pid) == sid]})
    points = {p["id"]: p for kp in document["key_points"] for p in kp["points"]}
    for kp in document["key_points"]:
        converging = [s.id for s in sessions if table[kp["id"]][s.id]["converges"]]
        if not converging or not kp.get("against"):
            continue
        against = defaultdict(set)
        for pid in kp["against"]:
            p = points.get(pid)
            if p is not None:
                against[p["session"] or "(no session)"].add(p["stakeholder"])
        for s in sessions:
            n_against, n_for = len(against.get(s.id, ())), table[kp["id"]][s.id]["stakeholders"]
            if s.id not in converging and n_against and n_against >= n_for:
                out.append({"kind": "between sessions", "session": s.id, "key_point": kp["id"], "label": kp["label"],
                            "rule": (f"converges in {', '.join(converging)}; in {s.id} {n_against} speakers argue "
                                     f"against it and {n_for} make it"),
                            "point_ids": [pid for pid in kp["against"]
                                          if pid in points and points[pid]["session"] == s.id]
                            + table[kp["id"]][s.id]["point_ids"]})
    return out


def representation_by_session(sessions: list[SessionInfo]) -> dict:
    """Each session's representation, all sessions together, and the Member States that never spoke."""
    per = {s.id: asdict(audit_representation(s.speakers, {})) for s in sessions}
    everyone = list({sp.name: sp for s in sessions for sp in s.speakers}.values())
    spoke = {sp.country for sp in everyone if sp.type is StakeholderType.MEMBER_STATE}
    never = [{"iso3": c.iso3, "name": c.name, "region": c.region, "subregion": c.subregion}
             for c in member_states() if c.iso3 not in spoke]
    where: dict[str, list[str]] = defaultdict(list)
    for s in sessions:
        for sp in s.speakers:
            where[sp.name].append(s.id)
    return {"sessions": per, "cumulative": asdict(audit_representation(everyone, {})), "never_spoke": never,
            "speakers": [{"name": sp.name, "type": sp.type.value, "country": sp.country, "region": sp.region,
                          "subregion": sp.subregion, "sessions": where[sp.name]} for sp in everyone]}


def assess(document: dict, table: dict, sessions: list[SessionInfo], representation: dict,
           rules: AssessmentRules = AssessmentRules()) -> dict:
    """The measured SWOT: ``{strengths, weaknesses, opportunities, threats}``, each a list of facts."""
    swot = {"strengths": [], "weaknesses": [], "opportunities": [], "threats": []}

    def fact(heading, text, figure, rule, point_ids):
        swot[heading].append({"text": text, "figure": figure, "rule": rule, "point_ids": list(point_ids), "edited": False})

    kps = document["key_points"]
    conv = document["convergence"]
    if kps and len(conv) / len(kps) >= rules.converging_share:
        fact("strengths", f"{len(conv)} of {len(kps)} key points are areas of convergence.",
             round(len(conv) / len(kps), 4), f"share of key points that converge ≥ {_pct(rules.converging_share)}",
             [pid for c in conv for pid in c["point_ids"]])
    recs = document["recommendations"]
    if recs:
        fact("strengths", f"{len(recs)} recommendations were compiled from the statements.", len(recs),
             "recommendations compiled > 0", [r["point_id"] for r in recs])
    cumulative = representation["cumulative"]
    everyone = representation["speakers"]
    non_state = [s for s in everyone if s["type"] != StakeholderType.MEMBER_STATE.value]
    if everyone and len(non_state) / len(everyone) >= rules.non_state_share:
        fact("strengths", f"{len(non_state)} of {len(everyone)} speakers are not States "
             f"({', '.join(sorted({s['type'] for s in non_state}))}).", round(len(non_state) / len(everyone), 4),
             f"share of non-State speakers ≥ {_pct(rules.non_state_share)}", _points_of(document, {s['name'] for s in non_state}))
    absent = [sub for sub in cumulative["subregions"] if sub["flag"] == "absent"]
    if absent:
        fact("weaknesses", f"No Member State of {', '.join(sub['name'] for sub in absent)} spoke "
             f"({sum(sub['reference'] for sub in absent)} Member States).", len(absent),
             "a sub-region is absent when none of its Member States spoke", [])
    for sub in cumulative["subregions"]:
        if sub["flag"] == "under-represented":
            fact("weaknesses", f"{sub['name']}: {sub['speakers']} of its {sub['reference']} Member States spoke "
                 f"(under-represented).", sub["coverage"],
                 "a sub-region is under-represented when its share among speaking States is below 0.8 of its "
                 "share of the 193", _points_of(document, {s["name"] for s in everyone if s["subregion"] == sub["name"]}))
    missing_types = cumulative["absent_types"]
    if missing_types:
        fact("weaknesses", f"No speaker of type {', '.join(missing_types)}.", len(missing_types),
             "a stakeholder type with no speaker", [])
    for t in cumulative["types"]:
        if t["flag"] == "absent" or t["name"] == StakeholderType.OTHER.value:
            continue
        if t["speakers"] < rules.thin_type:
            fact("weaknesses", f"Only {t['speakers']} {t['name']} speaker(s).", t["speakers"],
                 f"a stakeholder type with fewer than {rules.thin_type} speakers",
                 _points_of(document, {s["name"] for s in everyone if s["type"] == t["name"]}))
    by_theme: dict[str, list[str]] = defaultdict(list)
    labels = {}
    for item in document["recommendations"] + document["practices"]:
        if item["theme"]:
            by_theme[item["theme"]].append(item["point_id"])
            labels[item["theme"]] = item["theme_label"]
    for theme, ids in sorted(by_theme.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(ids) >= rules.rich_theme:
            fact("opportunities", f"{labels[theme]}: {len(ids)} recommendations and practices to build on.", len(ids),
                 f"a theme with at least {rules.rich_theme} recommendations and practices", ids)
    regions = Counter({r["name"]: r["speakers"] for r in cumulative["regions"]})
    states = sum(regions.values())
    if states >= 5:
        top = regions.most_common(2)
        share = sum(n for _, n in top) / states
        if share >= rules.concentration:
            fact("threats", f"{_pct(share)} of the State speakers come from {top[0][0]} and {top[1][0]}.",
                 round(share, 4), f"the two largest regions hold ≥ {_pct(rules.concentration)} of State speakers", [])
    speakers = max(len(everyone), 1)
    if len(sessions) >= 2:
        for kp in kps:
            converging = sum(1 for s in sessions if table[kp["id"]][s.id]["converges"])
            if kp["n_stakeholders"] / speakers >= rules.many_share and converging <= 1:
                fact("threats", f"Raised by {kp['n_stakeholders']} speakers but converging in {converging} of "
                     f"{len(sessions)} sessions: “{kp['label']}”", kp["n_stakeholders"],
                     f"raised by ≥ {_pct(rules.many_share)} of speakers, converging in at most one session",
                     kp["point_ids"])
    return swot


def _points_of(document: dict, names: set[str]) -> list[str]:
    seen = []
    for kp in document["key_points"]:
        for p in kp["points"]:
            if p["stakeholder"] in names and p["id"] not in seen:
                seen.append(p["id"])
    return seen


def add_stocktake(document: dict, sessions: list[SessionInfo], trend_rules: TrendRules = TrendRules(),
                  assessment_rules: AssessmentRules = AssessmentRules()) -> dict:
    """``document`` with ``sessions``, each key point's ``by_session`` and ``trend``, ``across_sessions``,
    ``representation_by_session`` and ``assessment`` (see the module docstring for every rule)."""
    agreement = AgreementRules(**document["settings"]["agreement"]) if document.get("settings", {}).get("agreement") \
        else AgreementRules()
    table = prevalence(document, sessions, agreement)
    out = dict(document)
    out["kind"] = "stocktake"
    out["sessions"] = [{"id": s.id, "label": s.label, "date": s.date, "contributions": s.contributions,
                        "stakeholders": len(s.speakers)} for s in sessions]
    key_points = []
    for kp in document["key_points"]:
        trend, rule = classify(table[kp["id"]], sessions, trend_rules)
        key_points.append({**kp, "trend": trend, "trend_rule": rule, "by_session": table[kp["id"]]})
    out["key_points"] = key_points
    out["across_sessions"] = divergences_across(document, table, sessions)
    representation = representation_by_session(sessions)
    out["representation_by_session"] = representation
    out["assessment"] = assess(document, table, sessions, representation, assessment_rules)
    out["settings"] = {**document.get("settings", {}), "trends": asdict(trend_rules),
                       "assessment": asdict(assessment_rules)}
    return validate_synthesis(out)
