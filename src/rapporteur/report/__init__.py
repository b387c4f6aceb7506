"""Renderers: HTML (self-contained), Markdown and JSON of a Synthesis."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from rapporteur.report.html import render_html_dict
from rapporteur.report.markdown import render_markdown_dict

FORMATS = ("html", "md", "json")
FILE_NAMES = {"html": "report.html", "md": "report.md", "json": "synthesis.json"}


def render_html(synthesis) -> str:
    return render_html_dict(synthesis.to_dict())


def render_markdown(synthesis) -> str:
    return render_markdown_dict(synthesis.to_dict())


def write_formats(out_dir: str | Path, formats: tuple[str, ...], renderers: dict[str, Callable[[], str]],
                  names: dict[str, str] = FILE_NAMES) -> dict[str, Path]:
    """Write each requested format (by default report.html, report.md, synthesis.json) into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for fmt in formats:
        path = out / names[fmt]
        path.write_text(renderers[fmt](), encoding="utf-8")
        written[fmt] = path
    return written


def write_reports(synthesis, out_dir: str | Path, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Write a Synthesis in the requested formats; returns {format: path}."""
    return write_document(synthesis.to_dict(), out_dir, formats)


def write_document(data: dict, out_dir: str | Path, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Write a synthesis document (a session's or a stocktaking's) in the requested formats."""
    return write_rendered(data, out_dir, formats, html=render_html_dict, markdown=render_markdown_dict)


def write_rendered(d: dict, out_dir: str | Path, formats: tuple[str, ...], *, html: Callable[[dict], str],
                   markdown: Callable[[dict], str], names: dict[str, str] = FILE_NAMES) -> dict[str, Path]:
    """Write a document as HTML and Markdown (by the given renderers) and as itself, JSON."""
    return write_formats(out_dir, formats, {
        "html": lambda: html(d),
        "md": lambda: markdown(d),
        "json": lambda: json.dumps(d, ensure_ascii=False, indent=1),
    }, names)
