"""The uptake of a source's items in later contributions (``analysis.uptake``) as Markdown, self-contained
HTML with a chart over time, and JSON."""
from __future__ import annotations

from pathlib import Path

from rapporteur.report import write_rendered
from rapporteur.report.html import render_page
from rapporteur.report.markdown import _escape

FILE_NAMES = {"html": "uptake.html", "md": "uptake.md", "json": "uptake.json"}
QUOTES = 5  # uptakes quoted per item in Markdown and HTML (all are in the JSON)


def write_uptake(d: dict, out_dir: str | Path, formats: tuple[str, ...]) -> dict[str, Path]:
    return write_rendered(d, out_dir, formats, html=render_uptake_html, markdown=render_uptake_markdown, names=FILE_NAMES)


def _who(u: dict) -> str:
    return u["stakeholder"] + (f" ({u['country']}, {u['region']})" if u["country"] else "")


def render_uptake_markdown(d: dict) -> str:
    lines = [f"# Uptake of {_escape(d['source'])}", "",
             f"{len(d['items'])} items traced into {d['contributions']} contributions ({d['points_read']} sentences read"
             + (f" on {_escape(d['about'])}" if d["about"] else "") + (f", after {d['after']}" if d["after"] else "") + ").", "",
             "## Not taken up", ""]
    text = {i["id"]: i["text"] for i in d["items"]}
    lines += [f"- **{i}** {_escape(text[i])}" for i in d["not_taken_up"]] or ["None: every item was taken up."]
    lines += ["", "## Taken up", ""]
    for item in sorted((i for i in d["items"] if i["taken_up"]), key=lambda i: -i["n_stakeholders"]):
        periods = ", ".join(f"{k}: {v}" for k, v in item["by_period"].items())
        lines += [f"### {item['id']} {_escape(item['text'])}", "",
                  f"{item['n_stakeholders']} stakeholders, {len(item['uptakes'])} sentences ({periods}).", ""]
        for u in item["uptakes"][:QUOTES]:
            lines += [f"> “{_escape(u['text'])}”  ", f"> — {_escape(_who(u))}, {_escape(u['session'] or u['date'] or '')}"
                      f" · {u['probability']:.2f} · `{u['point_id']}`", ""]
    return "\n".join(lines)


def render_uptake_html(d: dict) -> str:
    periods = sorted({p for i in d["items"] for p in i["by_period"]})
    taken = [i for i in d["items"] if i["taken_up"]]
    charts = {"chart-uptake": {
        "data": [{"type": "bar", "name": f"{i['id']}", "x": periods, "y": [i["by_period"].get(p, 0) for p in periods],
                  "hovertemplate": f"{i['id']}: " + "%{y} sentences in %{x}<extra></extra>"} for i in taken],
        "layout": {"barmode": "stack", "height": 380, "margin": {"l": 50, "r": 20, "t": 20, "b": 60},
                   "xaxis": {"title": "session or year", "type": "category"}, "yaxis": {"title": "sentences taking an item up"}}}}
    return render_page("uptake.html.j2", charts, d=d, quotes=QUOTES, who=_who,
                       taken=sorted(taken, key=lambda i: -i["n_stakeholders"]))
