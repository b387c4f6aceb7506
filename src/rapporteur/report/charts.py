"""Plotly figures for the report, as JSON-ready dicts (data + layout)."""
from __future__ import annotations


# ColorBrewer "Blues", light (few) to dark (many)
HEATMAP_SCALE = [[0.0, "#f7fbff"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1.0, "#08306b"]]


def charts(d: dict, top: int = 25) -> dict[str, dict]:
    rep = d["representation"]
    out = {}
    regions = rep["regions"]
    spoke = sum(g["speakers"] for g in regions)
    out["chart-regions"] = {
        "data": [
            {"type": "bar", "name": "Member States that spoke", "x": [g["name"] for g in regions],
             "y": [g["speakers"] for g in regions], "marker": {"color": "#1f5fa8"}},
            {"type": "bar", "name": "Expected from the 193 (same total)", "x": [g["name"] for g in regions],
             "y": [round(g["reference"] * spoke / 193, 1) for g in regions], "marker": {"color": "#c3ccd8"}},
        ],
        "layout": {"title": {"text": "Member States by M49 region"}, "barmode": "group",
                   "yaxis": {"title": {"text": "Member States"}}, "margin": {"t": 50}},
    }
    types = [g for g in rep["types"] if g["speakers"]]
    out["chart-types"] = {
        "data": [{"type": "bar", "orientation": "h", "y": [g["name"] for g in types],
                  "x": [g["speakers"] for g in types], "marker": {"color": "#1f5fa8"}}],
        "layout": {"title": {"text": "Stakeholders by type"}, "xaxis": {"title": {"text": "stakeholders"}},
                   "margin": {"l": 160, "t": 50}, "height": 120 + 28 * max(len(types), 1)},
    }
    kps = d["key_points"][:top][::-1]
    out["chart-prevalence"] = {
        "data": [{"type": "bar", "orientation": "h", "y": [k["id"] for k in kps],
                  "x": [k["n_stakeholders"] for k in kps],
                  "text": [_short(k["label"]) for k in kps], "hoverinfo": "text+x",
                  "marker": {"color": "#1f5fa8"}}],
        "layout": {"title": {"text": f"Key point prevalence (top {min(top, len(d['key_points']))})"},
                   "xaxis": {"title": {"text": "distinct stakeholders"}}, "margin": {"l": 70, "t": 50},
                   "height": 140 + 22 * max(len(kps), 1)},
    }
    region_names = [g["name"] for g in regions]
    speakers: dict[tuple, set] = {}
    points = [p for k in d["key_points"] for p in k["points"]]
    for p in points:
        if p["theme"] and p["region"]:
            speakers.setdefault((p["theme"], p["region"]), set()).add(p["stakeholder"])
    themes = d["taxonomy"]["themes"]
    z = [[len(speakers.get((t["id"], r), ())) for r in region_names] for t in themes]
    out["chart-themes"] = {
        # darker means more: an explicit light-to-dark scale from 0 (plotly.js's named "Blues" runs
        # dark to light, so 0 came out darkest)
        "data": [{"type": "heatmap", "x": region_names, "y": [t["label"] for t in themes], "z": z,
                  "colorscale": HEATMAP_SCALE, "reversescale": False,
                  "zmin": 0, "zmax": max([v for row in z for v in row] + [1]),
                  "colorbar": {"title": {"text": "stakeholders"}}}],
        "layout": {"title": {"text": "Stakeholders raising each theme, by region"},
                   "margin": {"l": 330, "t": 50}, "height": 160 + 34 * len(themes)},
    }
    return out


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
