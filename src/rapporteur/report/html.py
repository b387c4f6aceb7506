"""Self-contained HTML: Plotly's JavaScript inlined, no network needed to open it."""
from __future__ import annotations

import json
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from rapporteur.report.charts import charts
from rapporteur.report.stocktake_charts import stocktake_charts


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("rapporteur.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def _plotly_js() -> Markup:
    from plotly.offline import get_plotlyjs

    js = get_plotlyjs()
    if "</script" in js.lower():  # would end the inline script early
        js = js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    return Markup(js)


def script_json(value) -> Markup:
    """JSON safe inside <script>: no '<', '>' or '&' survives literally, so text cannot end it."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def render_page(template_name: str, charts_data: dict, **context) -> str:
    """Render a report template with Plotly inlined and its charts as script-safe JSON."""
    template = _environment().get_template(template_name)
    return template.render(plotly_js=_plotly_js(), charts_json=script_json(charts_data), **context)


def render_html_dict(d: dict, kp_limit: int = 300, quote_limit: int = 25) -> str:
    """A synthesis (or a stocktaking: the same page with its sessions, trends and assessment first)."""
    labels = {t["id"]: t["label"] for t in d["taxonomy"]["themes"]}
    figures = charts(d)
    if d.get("kind") == "stocktake":
        figures.update(stocktake_charts(d))
    return render_page("report.html.j2", figures, s=d, labels=labels, kp_limit=kp_limit, quote_limit=quote_limit)
