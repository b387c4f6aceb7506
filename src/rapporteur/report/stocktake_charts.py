"""Plotly figures of a stocktaking: key point × session heatmap, prevalence over time, speakers per session."""
from __future__ import annotations

from rapporteur.report.charts import HEATMAP_SCALE


def stocktake_charts(d: dict, top: int = 25, leading: int = 8) -> dict[str, dict]:
    sessions = d["sessions"]
    labels = [s["label"] for s in sessions]
    kps = d["key_points"][:top]
    out = {}
    z = [[round(100 * k["by_session"][s["id"]]["share"], 1) for s in sessions] for k in kps][::-1]
    out["chart-stocktake-heatmap"] = {
        "data": [{"type": "heatmap", "x": labels, "y": [k["id"] for k in kps][::-1], "z": z,
                  "colorscale": HEATMAP_SCALE, "zmin": 0, "colorbar": {"title": {"text": "% of speakers"}},
                  "text": [[_short(k["label"])] * len(sessions) for k in kps][::-1],
                  "hovertemplate": "%{y} in %{x}: %{z}% of the session's speakers<br>%{text}<extra></extra>"}],
        "layout": {"title": {"text": "Key points by session (share of each session's speakers)"},
                   "margin": {"l": 70, "t": 50, "b": 90}, "height": 160 + 22 * max(len(kps), 1)},
    }
    out["chart-stocktake-trend"] = {
        "data": [{"type": "scatter", "mode": "lines+markers", "name": f"{k['id']} ({k['trend']})", "x": labels,
                  "y": [round(100 * k["by_session"][s["id"]]["share"], 1) for s in sessions],
                  "hovertemplate": _short(k["label"]).replace("%", "%%") + ": %{y}%<extra></extra>"}
                 for k in d["key_points"][:leading]],
        "layout": {"title": {"text": f"Prevalence over time, the {min(leading, len(d['key_points']))} leading key points"},
                   "yaxis": {"title": {"text": "% of the session's speakers"}, "rangemode": "tozero"},
                   "margin": {"t": 50, "b": 90}},
    }
    per = d["representation_by_session"]["sessions"]
    types = sorted({t["name"] for s in sessions for t in per[s["id"]]["types"] if t["speakers"]})
    out["chart-stocktake-representation"] = {
        "data": [{"type": "bar", "name": t, "x": labels,
                  "y": [next((g["speakers"] for g in per[s["id"]]["types"] if g["name"] == t), 0) for s in sessions]}
                 for t in types],
        "layout": {"title": {"text": "Speakers per session, by stakeholder type"}, "barmode": "stack",
                   "yaxis": {"title": {"text": "speakers"}}, "margin": {"t": 50, "b": 90}},
    }
    return out


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
