"""The vote report: opinion map, groups, consensus, divisive statements, known-group table."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from rapporteur.report.html import render_page

MAP_LIMIT = 20_000  # participants drawn on the opinion map (a seeded sample above that)
LIST_LIMIT = 15
PALETTE = ["#1f5fa8", "#d9822b", "#2c7a3f", "#a8321f", "#7a4fa8", "#8c6d1f"]


def _statement_index(d: dict) -> dict[str, dict]:
    return {s["id"]: s for s in d["statements"]}


def votes_view(d: dict) -> dict:
    """What the templates need, derived from the analysis dict (which stays the JSON as is)."""
    statements = _statement_index(d)
    shown = [s for s in d["statements"] if not s["moderated_out"]]
    divisive = sorted(
        (s for s in shown if s["divisiveness"] is not None and s["seen"]),
        key=lambda s: (-s["divisiveness"], s["id"]),
    )[:LIST_LIMIT]
    gic = sorted(
        (s for s in shown if s["group_informed_consensus"] is not None),
        key=lambda s: (-s["group_informed_consensus"], s["id"]),
    )[:LIST_LIMIT]
    known = d.get("known_groups")
    return {
        "d": d,
        "statements": statements,
        "divisive": divisive,
        "gic": gic,
        "known": known,
        "known_names": [g["name"] for g in known["groups"]] if known else [],
        "list_limit": LIST_LIMIT,
    }


def votes_charts(d: dict, seed: int = 0) -> dict:
    participants = [p for p in d["participants"] if p["group"] is not None and p["x"] is not None]
    sampled = len(participants) > MAP_LIMIT
    if sampled:
        keep = np.sort(np.random.default_rng(seed).choice(len(participants), MAP_LIMIT, replace=False))
        participants = [participants[i] for i in keep]
    traces = []
    for g in d["groups"]:
        members = [p for p in participants if p["group"] == g["id"]]
        traces.append({
            "type": "scattergl", "mode": "markers", "name": f"Group {g['label']} ({g['size']})",
            "x": [p["x"] for p in members], "y": [p["y"] for p in members],
            "marker": {"size": 5, "opacity": 0.6, "color": PALETTE[g["id"] % len(PALETTE)]},
            "hoverinfo": "name",
        })
    title = "Opinion map: participants on the two principal components"
    if sampled:
        title += f" (a seeded sample of {MAP_LIMIT:,})"
    charts = {"chart-map": {"data": traces, "layout": {
        "title": {"text": title}, "xaxis": {"zeroline": False}, "yaxis": {"zeroline": False},
        "height": 520, "margin": {"t": 50}}}}
    known = d.get("known_groups")
    if known and known["divergence"]:
        statements = _statement_index(d)
        top = known["divergence"][:LIST_LIMIT]
        names = [g["name"] for g in known["groups"]]
        z = [[statements[row["statement"]]["known_groups"]["groups"][n]["p_agree"] for n in names] for row in top]
        charts["chart-known"] = {"data": [{
            "type": "heatmap", "x": names, "y": [f"#{row['statement']}" for row in top], "z": z,
            "zmin": 0, "zmax": 1, "colorscale": "RdBu", "colorbar": {"title": {"text": "agree"}},
        }], "layout": {"title": {"text": f"Agreement by {known['attribute']} on the most divergent statements"},
                       "height": 160 + 26 * len(top), "margin": {"l": 90, "t": 50}}}
    return charts


# ------------------------------------------------------------------ a rating round's dashboard
MIN_GROUP = 3  # groups with fewer participants are not shown to the public (their votes could be read off)
ROUND_LIST_LIMIT = 5
MAP_SIZE = (420, 300, 16)  # width, height, padding of the dashboard's opinion map


def _share(count: int, of: int) -> str:
    """A raw share, as printed beside its count: ``count / of``."""
    return "–" if not of else f"{round(100 * count / of)}%"


def round_view(analyses: dict[str, dict], min_group: int = MIN_GROUP, show_small_groups: bool = False) -> dict:
    """What a rating round's dashboard shows, from ``{attribute: analyse(..., group_by=attribute).to_dict()}``
    (the first analysis gives the opinion groups, consensus and counts; each gives its known-group table).

    **Small groups**: an opinion group, a UN region or a stakeholder type with fewer than ``min_group``
    participants is left out unless ``show_small_groups`` (the secretariat), where it is marked
    ``small``; the public sees how many were left out. "Every group agrees" is withheld while a group
    is hidden (it would reveal that group's votes), and so is a divergence whose highest or lowest
    group is hidden.

    **Shares** are raw and agree with the counts printed beside them: ``agree / seen`` for a
    statement, ``n_success / n_trials`` for a group's representative statement, the difference of two
    raw shares between groups. (The engine's pseudo-count estimates ``(n + 1) / (N + 2)`` rank and
    test; they are not printed.)
    """
    if not analyses:
        return {"ready": False}
    main = next(iter(analyses.values()))
    statements = {s["id"]: s for s in main["statements"]}
    shown = [s for s in main["statements"] if not s["moderated_out"]]

    def entry(sid: str, **extra) -> dict:
        s = statements[sid]
        seen = s["seen"]
        return {"id": sid, "text": s["text"], "agree": s["agree"], "disagree": s["disagree"], "pass": s["pass"],
                "seen": seen, "agree_pct": _share(s["agree"], seen), "disagree_pct": _share(s["disagree"], seen),
                "pass_pct": _share(s["pass"], seen), **extra}

    groups, hidden_groups = [], []
    for g in main["groups"]:
        small = g["size"] < min_group
        if small and not show_small_groups:
            hidden_groups.append(g)
            continue
        groups.append({
            "id": g["id"], "label": g["label"], "size": g["size"], "small": small,
            "color": PALETTE[g["id"] % len(PALETTE)],
            "representative": [entry(r["statement"], side=r["repful_for"], p=_share(r["n_success"], r["n_trials"]),
                                     n_success=r["n_success"], n_trials=r["n_trials"]) for r in g["representative"]],
        })
    visible_groups = {g["id"] for g in groups}
    divisive = sorted((s for s in shown if s["divisiveness"] is not None and s["seen"]),
                      key=lambda s: (-s["divisiveness"], s["id"]))[:ROUND_LIST_LIMIT]
    return {
        "ready": True,
        "counts": main["counts"],
        "map": _round_map(main, visible_groups),
        "groups": groups,
        "hidden_groups": len(hidden_groups),
        "hidden_group_participants": sum(g["size"] for g in hidden_groups),
        "groups_note": main["parameters"].get("not_clustered_because"),
        "consensus": {side: [entry(e["statement"]) for e in main["consensus"].get(side, [])]
                      for side in ("agree", "disagree")},
        # divisiveness is a distance on the opinion map: meaningful once there are opinion groups
        "divisive": [entry(s["id"]) for s in divisive] if main["groups"] else [],
        "known": [t for a, d in analyses.items() if (t := _known_table(a, d, shown, entry, min_group, show_small_groups))],
        "min_group": min_group,
        "statements": [entry(s["id"]) for s in sorted(shown, key=lambda s: (-s["seen"], s["id"]))],
    }


def _round_map(main: dict, visible_groups: set[int]) -> dict:
    """Participants on the two principal components; a hidden group's members are drawn unclustered."""
    width, height, pad = MAP_SIZE
    points = [p for p in main.get("participants", []) if p["x"] is not None and p["y"] is not None and p["n_votes"]]
    xs, ys = [p["x"] for p in points], [p["y"] for p in points]
    span_x = (max(xs) - min(xs)) if xs else 0
    span_y = (max(ys) - min(ys)) if ys else 0

    def sx(x):
        return pad + (width - 2 * pad) * ((x - min(xs)) / span_x if span_x else 0.5)

    def sy(y):
        return pad + (height - 2 * pad) * (1 - ((y - min(ys)) / span_y if span_y else 0.5))

    dots = [{"x": round(sx(p["x"]), 1), "y": round(sy(p["y"]), 1),
             "color": PALETTE[p["group"] % len(PALETTE)] if p["group"] in visible_groups else "#8a94a3"}
            for p in points]
    return {"width": width, "height": height, "dots": dots}


ATTRIBUTE_LABELS = {"region": ("UN region", "UN regions"), "type": ("stakeholder type", "stakeholder types")}


def _known_table(attribute: str, d: dict, shown: list[dict], entry, min_group: int, show_small_groups: bool) -> dict | None:
    kg = d.get("known_groups")
    if not kg:
        return None
    with_votes = [g for g in kg["groups"] if g["participants_with_votes"]]
    visible = [{**g, "small": g["participants_with_votes"] < min_group} for g in with_votes
               if show_small_groups or g["participants_with_votes"] >= min_group]
    names = {g["name"] for g in visible}
    per_statement = {s["id"]: (s.get("known_groups") or {}).get("groups") or {} for s in d["statements"]}
    rows = []
    for s in shown:
        cells = []
        for g in visible:
            c = per_statement.get(s["id"], {}).get(g["name"]) or {"agree": 0, "disagree": 0, "seen": 0}
            cells.append({"seen": c["seen"], "agree_pct": _share(c["agree"], c["seen"]), "agree": c["agree"],
                          "disagree": c["disagree"]})
        rows.append({"statement": entry(s["id"]), "cells": cells})
    all_visible = len(names) == len(with_votes)
    divergence = []
    for c in kg["divergence"]:
        if c["highest"] not in names or c["lowest"] not in names:
            continue  # naming, or measuring, the gap would reveal a hidden group's votes
        hi, lo = (per_statement[c["statement"]][c[k]] for k in ("highest", "lowest"))
        gap = hi["agree"] / hi["seen"] - lo["agree"] / lo["seen"] if hi["seen"] and lo["seen"] else None
        divergence.append(entry(c["statement"], difference="–" if gap is None else f"{round(100 * gap)} points",
                                highest=c["highest"], lowest=c["lowest"], highest_pct=_share(hi["agree"], hi["seen"]),
                                lowest_pct=_share(lo["agree"], lo["seen"])))
        if len(divergence) == ROUND_LIST_LIMIT:
            break
    return {
        "attribute": attribute, "label": ATTRIBUTE_LABELS.get(attribute, (attribute, attribute))[0],
        "plural": ATTRIBUTE_LABELS.get(attribute, (attribute, attribute + "s"))[1],
        "groups": visible, "hidden": len(with_votes) - len(visible), "rows": rows, "note": kg.get("note"),
        # "every group agrees" would reveal the vote of a group too small to show: listed only when all are shown
        "consensus": [entry(c["statement"], direction=c["direction"]) for c in kg["cross_group_consensus"]]
        if all_visible else None,
        "divergence": divergence,
    }


def render_votes_html(d: dict) -> str:
    return render_page("votes.html.j2", votes_charts(d), **votes_view(d))


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("<", "&lt;").replace(">", "&gt;").replace("|", r"\|")


def render_votes_markdown(d: dict) -> str:
    view = votes_view(d)
    st = view["statements"]
    c = d["counts"]
    lines = [f"# {_md(d['title'] or 'Votes')}", "",
             f"{c['participants']} participants ({c['clustered']} in opinion groups) · {c['statements']} statements · {c['votes']} votes", ""]
    if d.get("attribution"):
        lines += [f"*{_md(d['attribution'])}*", ""]
    lines += ["## Opinion groups", ""]
    for g in d["groups"]:
        lines += [f"### Group {g['label']} — {g['size']} participants", ""]
        for r in g["representative"]:
            s = st[r["statement"]]
            share = r["n_success"] / r["n_trials"] if r["n_trials"] else None  # raw, as the counts beside it
            lines.append(f"- {r['repful_for']}s ({_pct(share)} of the group, {r['n_success']} of {r['n_trials']}): "
                         f"“{_md(s['text'])}” (#{s['id']})")
        lines.append("")
    lines += ["## Consensus", ""]
    for direction in ("agree", "disagree"):
        for r in d["consensus"].get(direction, []):
            s = st[r["statement"]]
            lines.append(f"- most {direction} ({_pct(r['p_success'])}): “{_md(s['text'])}” (#{s['id']})")
    lines += ["", "## Group-informed consensus", "", "| # | Statement | GIC | agree | disagree | pass |", "|---|---|---|---|---|---|"]
    for s in view["gic"]:
        lines.append(f"| {s['id']} | {_md(s['text'])} | {s['group_informed_consensus']:.3f} | {s['agree']} | {s['disagree']} | {s['pass']} |")
    lines += ["", "## Divisive statements", ""]
    for s in view["divisive"]:
        lines.append(f"- “{_md(s['text'])}” (#{s['id']}; divisiveness {s['divisiveness']:.2f})")
    known = view["known"]
    if known:
        names = view["known_names"]
        lines += ["", f"## By {known['attribute']}", "", "| Group | Participants |", "|---|---|"]
        lines += [f"| {_md(g['name'])} | {g['participants']} |" for g in known["groups"]]
        lines += ["", "### Every group agrees (cross-group consensus)", ""]
        for row in known["cross_group_consensus"][:LIST_LIMIT]:
            lines.append(f"- {row['direction']}: “{_md(st[row['statement']]['text'])}” (#{row['statement']}; lowest group {_pct(row['min_p'])})")
        lines += ["", "### Groups diverge", "", "| # | Statement | " + " | ".join(_md(n) for n in names) + " | q |",
                  "|---|---|" + "---|" * len(names) + "---|"]
        for row in known["divergence"][:LIST_LIMIT]:
            s = st[row["statement"]]
            rates = " | ".join(_pct(s["known_groups"]["groups"][n]["p_agree"]) for n in names)
            lines.append(f"| {s['id']} | {_md(s['text'])} | {rates} | {row['q_value']:.2g} |")
    if d["problems"]:
        lines += ["", "## Skipped or amended input", ""]
        for p in d["problems"]:
            where = p["source"] + (f":{p['line']}" if p.get("line") else "")
            lines.append(f"- `{where}` — {_md(p['reason'])}")
    return "\n".join(lines) + "\n"


def write_vote_reports(d: dict, out_dir: str | Path, formats: tuple[str, ...]) -> dict[str, Path]:
    from rapporteur.report import write_formats

    return write_formats(out_dir, formats, {
        "html": lambda: render_votes_html(d),
        "md": lambda: render_votes_markdown(d),
        "json": lambda: json.dumps(d, ensure_ascii=False),
    })
