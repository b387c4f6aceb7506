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
            lines.append(f"- {r['repful_for']}s ({_pct(r['p_success'])} of the group): “{_md(s['text'])}” (#{s['id']})")
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
