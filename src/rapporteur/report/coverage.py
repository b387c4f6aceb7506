"""The coverage of a draft (``analysis.coverage``) as Markdown, self-contained HTML and JSON."""
from __future__ import annotations

from pathlib import Path

from rapporteur.report import write_rendered
from rapporteur.report.html import render_page
from rapporteur.report.markdown import _escape, _quote

FILE_NAMES = {"html": "coverage.html", "md": "coverage.md", "json": "coverage.json"}


def write_coverage(d: dict, out_dir: str | Path, formats: tuple[str, ...]) -> dict[str, Path]:
    return write_rendered(d, out_dir, formats, html=render_coverage_html, markdown=render_coverage_markdown, names=FILE_NAMES)


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


GENERIC_NOTE = ("A key point read in at least {generic_min} paragraphs and in more than {generic_share:.0%} of them is "
                "generic: the draft as a whole reflects it, and no paragraph counts as raised by it alone.")


def _generic_rule(d: dict) -> dict:
    """The generic rule a coverage ran with (the rules' defaults for one written before it was recorded)."""
    from rapporteur.analysis.coverage import CoverageRules

    rules = d["rules"]
    return {"generic_min": rules.get("generic_min", CoverageRules.generic_min),
            "generic_share": rules.get("generic_share", CoverageRules.generic_share)}


def _addressed(d: dict, key_point: str) -> int:
    """The paragraphs in which ``key_point`` is read (for it or against it)."""
    return sum(any(k["id"] == key_point for k in p["key_points"]) for p in d["paragraphs"])


def _threshold(rules: dict) -> str:
    return f"match ≥ {rules['match_threshold']}" if rules["learned"] else f"cosine similarity ≥ {rules['similarity']}"


def render_coverage_markdown(d: dict) -> str:
    kp = {k["id"]: k for k in d["key_points"]}
    lines = [f"# Coverage of {_escape(d['draft']['source'])}", "",
             f"Against *{_escape(d['synthesis']['title'] or 'the synthesis')}*: {d['synthesis']['key_points']} key points, "
             f"{d['synthesis']['convergence']} areas of convergence. The draft was cut by **{d['draft']['split']}** into "
             f"{d['draft']['paragraphs']} paragraphs.", ""]
    lines += [f"> {_escape(note)}" for note in d["draft"]["notes"]] + ([""] if d["draft"]["notes"] else [])
    lines += ["## Convergence not in the draft", ""]
    lines += [f"- **{m}** {_escape(kp[m]['label'])} ({kp[m]['n_stakeholders']} stakeholders)" for m in d["missing"]] or ["None: the draft reflects every area of convergence."]
    lines += ["", "## Draft paragraphs no key point raised", ""]
    text = {p["id"]: p["text"] for p in d["paragraphs"]}
    lines += [f"- ¶ {u}: {_escape(text[u])}" for u in d["unsupported"]] or ["None."]
    lines += ["", "## Generic key points", "", GENERIC_NOTE.format(**_generic_rule(d)), ""]
    lines += [f"- **{g}** {_escape(kp[g]['label'])}: read in {_addressed(d, g)} of {d['draft']['paragraphs']} paragraphs"
              for g in d.get("generic", [])] or ["None."]
    lines += ["", "## Divergences the draft settles", ""]
    for s in d["settled"]:
        sides = ", ".join(f"¶ {p['id']} {'for' if p['side'] == 'for' else 'against'}" for p in s["paragraphs"])
        lines.append(f"- Divergence {s['number']} ({s['kind']}), **{s['key_point']}** {_escape(s['label'])}: {sides}")
    if not d["settled"]:
        lines.append("None.")
    lines += ["", "## Paragraph by paragraph", ""]
    for p in d["paragraphs"]:
        lines += [f"### ¶ {p['id']}", "", _escape(p["text"]), ""]
        for k in p["key_points"]:
            verdict = ("reflects" if k["reflects"] else "goes against") + (" (generic)" if k.get("generic") else "")
            lines += [f"- {verdict} **{k['id']}** {_escape(k['label'])} ({_pct(k['probability'])}; side {_pct(k['side'])}), "
                      f"in: “{_escape(k['sentence'])}”", ""]
            lines += ["  " + line for q in k["quotes"] for line in _quote(q).splitlines()] + [""]
        if not p["key_points"]:
            lines += ["- no key point of the synthesis", ""]
    lines += ["## Method", "",
              f"Each draft sentence is read against its {d['rules']['shortlist']} nearest key points by "
              + ("the matcher and the stance model" if d["rules"]["learned"] else "cosine similarity and lexical cues")
              + f"; it reflects a key point at {_threshold(d['rules'])} and side ≥ {d['rules']['side_threshold']} "
              "(the synthesis's own membership rule), and goes against it at the same match with a lower side.", ""]
    return "\n".join(lines)


def render_coverage_html(d: dict) -> str:
    paragraphs = [p["id"] for p in d["paragraphs"]]
    key_points = [k["id"] for k in d["key_points"]]
    z = [[0.0] * len(key_points) for _ in paragraphs]
    index = {k: j for j, k in enumerate(key_points)}
    for i, p in enumerate(d["paragraphs"]):
        for k in p["key_points"]:
            z[i][index[k["id"]]] = k["probability"] if k["reflects"] else -k["probability"]
    charts = {"chart-coverage": {
        "data": [{"type": "heatmap", "x": key_points, "y": paragraphs, "z": z, "zmin": -1, "zmax": 1,
                  "colorscale": [[0, "#b2182b"], [0.5, "#f7f7f7"], [1, "#2166ac"]],
                  "hovertemplate": "¶ %{y} · %{x}: %{z:.2f}<extra></extra>"}],
        "layout": {"height": max(300, 22 * len(paragraphs) + 120), "margin": {"l": 90, "r": 20, "t": 20, "b": 60},
                   "yaxis": {"autorange": "reversed", "title": "draft paragraph"}, "xaxis": {"title": "key point"}}}}
    return render_page("coverage.html.j2", charts, d=d, threshold=_threshold(d["rules"]), kp={k["id"]: k for k in d["key_points"]},
                       text={p["id"]: p["text"] for p in d["paragraphs"]},
                       generic_note=GENERIC_NOTE.format(**_generic_rule(d)),
                       addressed={g: _addressed(d, g) for g in d.get("generic", [])})


