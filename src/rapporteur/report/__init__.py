"""Renderers: HTML (self-contained), Markdown and JSON of a Synthesis."""
from __future__ import annotations

import json
from pathlib import Path

from rapporteur.report.html import render_html_dict
from rapporteur.report.markdown import render_markdown_dict

FORMATS = ("html", "md", "json")
FILE_NAMES = {"html": "report.html", "md": "report.md", "json": "synthesis.json"}


def render_html(synthesis) -> str:
    return render_html_dict(synthesis.to_dict())


def render_markdown(synthesis) -> str:
    return render_markdown_dict(synthesis.to_dict())


def write_reports(synthesis, out_dir: str | Path, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Write the requested formats into ``out_dir``; returns {format: path}."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = synthesis.to_dict()
    written = {}
    for fmt in formats:
        path = out / FILE_NAMES[fmt]
        if fmt == "html":
            path.write_text(render_html_dict(data), encoding="utf-8")
        elif fmt == "md":
            path.write_text(render_markdown_dict(data), encoding="utf-8")
        else:
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        written[fmt] = path
    return written
