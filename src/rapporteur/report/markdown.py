"""Markdown: the rapporteur's numbered lists, with quotes, for pasting into a draft."""
from __future__ import annotations


def _one_line(text: str) -> str:
    """Whitespace folded so a quote stays one Markdown paragraph; the words are untouched."""
    return " ".join(text.split())


def _escape(text: str) -> str:
    return _one_line(text).replace("<", "&lt;").replace(">", "&gt;")


def _quote(p: dict) -> str:
    who = p["stakeholder"] + (f" ({p['country']}, {p['region']})" if p["country"] else "")
    return f"> “{_escape(p['text'])}”  \n> — {_escape(who)}, {_escape(p['source'] or p['contribution'])} · `{p['id']}`\n"


def _spread(regions: dict, types: dict) -> str:
    return "; ".join(f"{k} {v}" for k, v in {**regions, **types}.items())


def render_markdown_dict(d: dict, quote_limit: int = 6) -> str:
    c = d["counts"]
    lines = [f"# {_escape(d['title'])}", ""]
    if d["about"]:
        lines += [f"Subject: **{_escape(d['about'])}**", ""]
    lines += [
        f"{c['contributions']} contributions · {c['speakers_analysed']} stakeholders · "
        f"{c['analysed']} points analysed · {c['key_points']} key points", "",
        "## Areas of convergence", "",
    ]
    for item in d["convergence"]:
        lines += [f"{item['number']}. **{_escape(item['label'])}**  ",
                  f"   Raised by {item['n_stakeholders']} stakeholders ({_spread(item['regions'], item['types'])}); key point {item['key_point']}.", ""]
        lines += ["   " + q.replace("\n", "\n   ") for q in map(_quote, item["points"][:quote_limit])]
    if not d["convergence"]:
        lines += ["No key point met the convergence rules.", ""]
    lines += ["## Areas of divergence", ""]
    for item in d["divergence"]:
        kind = "opposing positions" if item["kind"] == "opposed" else "marked as unclear or disputed"
        lines += [f"{item['number']}. **{_escape(item['label'])}** ({kind}; key point {item['key_point']})", ""]
        for side in item["sides"]:
            lines += [f"   *{side['position'].capitalize()}* — {len(side['stakeholders'])} stakeholder(s): "
                      f"{_spread(side['regions'], side['types'])}", ""]
            lines += ["   " + q.replace("\n", "\n   ") for q in map(_quote, side["points"][:quote_limit])]
    if not d["divergence"]:
        lines += ["No key point met the divergence rules.", ""]
    minority = [k for k in d["key_points"] if k["n_stakeholders"] <= 2]
    lines += ["## Minority views", "", "Key points raised by one or two stakeholders, kept apart.", ""]
    lines += [f"- {k['id']}: “{_escape(k['label'])}” — {_escape(', '.join(k['stakeholders']))}" for k in minority]
    r = d["representation"]
    lines += ["", "## Representation", "", f"{r['speakers']} stakeholders, {r['member_states']} Member States of 193.", "",
              "| Region | Spoke | Member States | Ratio | Flag |", "|---|---|---|---|---|"]
    for g in r["regions"]:
        ratio = "–" if g["ratio"] is None else f"{g['ratio']:.2f}"
        lines.append(f"| {g['name']} | {g['speakers']} | {g['reference']} | {ratio} | {g['flag'] or ''} |")
    if r["absent_types"]:
        lines += ["", "No speaker of type: " + ", ".join(r["absent_types"]) + "."]
    lines += ["", "## Key points", "", "| # | Key point | Stakeholders | Points | Theme |", "|---|---|---|---|---|"]
    for k in d["key_points"]:
        label = _escape(k["label"]).replace("|", r"\|")
        lines.append(f"| {k['id']} | {label} | {k['n_stakeholders']} | {k['n_points']} | {k['theme_label'] or '–'} |")
    for title, key in (("Recommendations", "recommendations"), ("Practices", "practices")):
        lines += ["", f"## {title}", ""]
        for item in d[key]:
            p = item["point"]
            lines.append(f"- [{item['theme_label']}] “{_escape(p['text'])}” — {_escape(p['stakeholder'])} (`{p['id']}`)")
    if d["skipped"]:
        lines += ["", "## Skipped or amended input", ""]
        for p in d["skipped"]:
            where = p["source"] + (f":{p['line']}" if p["line"] else "")
            lines.append(f"- `{where}` — {_escape(p['reason'])} ({'skipped' if p['skipped'] else 'kept'})")
    lines += ["", "## Limits", ""] + [f"- {_escape(l)}" for l in d["limits"]]
    return "\n".join(lines) + "\n"
