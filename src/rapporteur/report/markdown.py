"""Markdown: the rapporteur's numbered lists, with quotes, for pasting into a draft."""
from __future__ import annotations


def _one_line(text: str) -> str:
    """Whitespace folded so a quote stays one Markdown paragraph; the words are untouched."""
    return " ".join(text.split())


def _escape(text: str) -> str:
    return _one_line(text).replace("<", "&lt;").replace(">", "&gt;")


def _quote(p: dict) -> str:
    who = p["stakeholder"] + (f" ({p['country']}, {p['region']})" if p["country"] else "")
    language = f" · {p['language']}" if p.get("language", "en") != "en" else ""
    return f"> “{_escape(p['text'])}”  \n> — {_escape(who)}, {_escape(p['source'] or p['contribution'])} · `{p['id']}`{language}\n"


def _spread(regions: dict, types: dict) -> str:
    return "; ".join(f"{k} {v}" for k, v in {**regions, **types}.items())


def _pct(x) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _vote_line(m: dict, min_group_votes: int) -> str:
    line = (f"{_pct(m['agree_share'])} agree, {_pct(m['disagree_share'])} disagree, {_pct(m['pass_share'])} pass "
            f"({m['n']} vote{'s' if m['n'] != 1 else ''})")
    for attr, groups in m["per_group"].items():
        if groups:
            label = "stakeholder type" if attr == "type" else attr
            line += f"; by {label}: " + ", ".join(f"{_escape(k)} {_pct(g['agree_share'])} ({g['n']})" for k, g in groups.items())
    if m["groups_not_shown"]:
        line += f"; {m['groups_not_shown']} group(s) with fewer than {min_group_votes} votes not shown"
    return line


def _verdict(m: dict, min_group_votes: int) -> list[str]:
    """The measured-agreement line of a convergence or divergence item (only when a round was held)."""
    head = {True: "Confirmed by the vote", False: "Not confirmed by the vote"}.get(m["confirmed"], "Vote: no verdict")
    line = f"   *{head}*: {_escape(m['reason'])}"
    if "n" in m:
        line += f" — {_vote_line(m, min_group_votes)}"
    return [line + ".", ""]


def _measured_section(v: dict) -> list[str]:
    rules = v["rules"]
    lines = ["", "## Measured agreement", "",
             f"{v['participants']} participants rated {len(v['statements'])} statements"
             + (f" in “{_escape(v['title'])}”" if v.get("title") else "")
             + f": {v['key_points_measured']} key points of this synthesis and {len(v['new_statements'])} statements "
             f"added by participants; {v['votes']} votes (a participant's latest vote counts).", "",
             "| Statement | Source | Agreement | Convergent | Divided |", "|---|---|---|---|---|"]
    yes_no = {True: "yes", False: "no", None: "–"}
    for st in v["statements"]:
        source = f"key point {st['key_point']}" if st["key_point"] else "added by a participant"
        text = _escape(st["text"]).replace("|", r"\|")
        lines.append(f"| {text} | {source} | {_vote_line(st, rules['min_group_votes']).replace('|', '/')} | "
                     f"{yes_no[st['convergent']]} | {yes_no[st['divided']]} |")
    lines += ["", f"Rules: a verdict needs {rules['min_votes']} votes; a group is counted and shown when at least "
              f"{rules['min_group_votes']} of its participants voted. Convergent: at least {_pct(rules['agree_share_min'])} "
              f"agree overall and in every counted group. Divided: at least {_pct(rules['split_share_min'])} agree and "
              f"{_pct(rules['split_share_min'])} disagree, or two counted groups {_pct(rules['group_difference_min'])} "
              f"or more apart with the lower one below {_pct(rules['agree_share_min'])}."]
    return lines


KIND_NAMES = {"opposed": "opposing positions", "disputed": "disputed or unclear", "unaddressed": "expected but unaddressed"}


def _divergence_item(item: dict, d: dict, quote_limit: int) -> list[str]:
    kind = KIND_NAMES.get(item["kind"], item["kind"])
    if item["kind"] == "unaddressed":
        lines = [f"{item['number']}. **{_escape(item['label'])}** ({kind}): {item['addressed_by']} of "
                 f"{item['of_stakeholders']} stakeholders spoke to it.{_changed(item)}", "", *_note(item)]
        for side in item["sides"]:
            lines += ["   " + q.replace("\n", "\n   ") for q in map(_quote, side["points"][:quote_limit])]
        return lines
    lines = [f"{item['number']}. **{_escape(item['label'])}** ({kind}; key point {item['key_point']}){_changed(item)}", "",
             *_note(item)]
    if "measured" in item:
        lines += _verdict(item["measured"], d["votes"]["rules"]["min_group_votes"])
    for side in item["sides"]:
        claim = f" “{_escape(side['label'])}” ({side['key_point']})" if side.get("label") and side["position"] != "for" else ""
        lines += [f"   *{side['position'].capitalize()}*{claim} — {len(side['stakeholders'])} stakeholder(s): "
                  f"{_spread(side['regions'], side['types'])}", ""]
        lines += ["   " + q.replace("\n", "\n   ") for q in map(_quote, side["points"][:quote_limit])]
    return lines


def _figure(fact: dict) -> str:
    """The "figure X; " of a measured fact; nothing for the secretariat's text, which has no figure."""
    return "" if fact.get("figure") is None else f"figure {fact['figure']}; "


def _stocktake_section(d: dict, quote_limit: int) -> list[str]:
    """A stocktaking's sessions, key points by trend with their per-session counts, and the assessment."""
    sessions = d["sessions"]
    lines = ["## Across sessions", "", "| Session | Date | Contributions | Speakers |", "|---|---|---|---|"]
    lines += [f"| {_escape(x['label'])} | {x['date'] or '–'} | {x['contributions']} | {x['stakeholders']} |" for x in sessions]
    lines += ["", "| # | Key point | Trend | " + " | ".join(_escape(x["label"]) for x in sessions) + " |",
              "|---|---|---|" + "---|" * len(sessions)]
    for k in d["key_points"]:
        cells = " | ".join(f"{k['by_session'][x['id']]['stakeholders']} ({_pct(k['by_session'][x['id']]['share'])})"
                           + (" ✓" if k["by_session"][x["id"]]["converges"] else "") for x in sessions)
        lines.append(f"| {k['id']} | {_escape(k['label'])} | {k['trend']} | {cells} |")
    lines += ["", "✓: converges in that session. Each key point's trend rule, with its figures, is in synthesis.json "
              "(`trend_rule`).", ""]
    if d.get("across_sessions"):
        lines += ["### Divergence across sessions", ""]
        lines += [f"- **{a['kind']}**, {_escape(a['session'])}: “{_escape(a['label'])}” — {_escape(a['rule'])}"
                  for a in d["across_sessions"]]
        lines.append("")
    never = d["representation_by_session"]["never_spoke"]
    lines += [f"{len(never)} of the 193 Member States spoke in no session.", ""]
    if d.get("assessment"):
        lines += ["## The process assessed", ""]
        for heading in ("strengths", "weaknesses", "opportunities", "threats"):
            lines += [f"### {heading.capitalize()}", ""]
            facts = d["assessment"][heading]
            lines += [f"- {_escape(f['text'])} ({'edited by the secretariat' if f.get('edited') else 'measured'}; "
                      f"{_figure(f)}rule: {_escape(f['rule'])})" for f in facts] or ["- The data supports no fact here."]
            lines.append("")
    return lines


def _changed(item: dict) -> str:
    """" *(edited by the rapporteur)*" or " *(added by the rapporteur)*" when the rapporteur changed it."""
    return f" *({item['origin']} by the rapporteur)*" if item.get("origin") in ("edited", "added") else ""


def _note(item: dict) -> list[str]:
    return [f"   *Rapporteur's note:* {_escape(item['note'])}", ""] if item.get("note") else []


def _revision_section(r: dict) -> list[str]:
    """What the rapporteur changed, and the machine's draft beside it."""
    drawn = {k["id"]: k["label"] for k in r["machine"]["key_points"]}
    n = len(r["edits"])
    lines = ["## Revised by the rapporteur", "",
             f"{n} edit{'s' if n != 1 else ''} to the machine's draft"
             + (f" (version {r['based_on_version']})" if r.get("based_on_version") else "")
             + (f" by {_escape(r['by'])}" if r.get("by") else "") + (f", {r['at']}" if r.get("at") else "")
             + ". Items marked *edited* or *added by the rapporteur* differ from the machine's draft; every figure is "
             "recomputed by the engine's rules after each edit.", "",
             *([f"The edits of version {r['replayed_from']} were replayed on this run; "
                + (f"{len(r['not_replayed'])} no longer apply: "
                   + "; ".join(f"edit {x['number']} ({x['edit']['do']}): {_escape(x['reason'])}" for x in r['not_replayed'])
                   if r.get("not_replayed") else "all apply") + ".", ""] if r.get("replayed_from") else []),
             "The machine's draft listed as areas of convergence: "
             + ("; ".join(f"“{_escape(drawn.get(i, i))}” ({i})" for i in r["machine"]["convergence"]) or "none") + ".", ""]
    return lines


def render_markdown_dict(d: dict, quote_limit: int = 6) -> str:
    c = d["counts"]
    lines = [f"# {_escape(d['title'])}", ""]
    if d["about"]:
        lines += [f"Subject: **{_escape(d['about'])}**", ""]
    lines += [
        f"{c['contributions']} contributions · {c['speakers_analysed']} stakeholders · "
        f"{c['analysed']} points analysed · {c['key_points']} key points", "",
    ]
    if d.get("kind") == "stocktake":
        lines += _stocktake_section(d, quote_limit)
    if d.get("revision"):
        lines += _revision_section(d["revision"])
    lines += [
        "## Areas of convergence", "",
    ]
    for item in d["convergence"]:
        lines += [f"{item['number']}. **{_escape(item['label'])}**{_changed(item)}  ",
                  f"   Raised by {item['n_stakeholders']} stakeholders ({_spread(item['regions'], item['types'])}); key point {item['key_point']}.", ""]
        lines += _note(item)
        if "measured" in item:
            lines += _verdict(item["measured"], d["votes"]["rules"]["min_group_votes"])
        lines += ["   " + q.replace("\n", "\n   ") for q in map(_quote, item["points"][:quote_limit])]
    if not d["convergence"]:
        lines += ["No key point met the convergence rules.", ""]
    lines += ["## Areas of divergence", ""]
    for item in d["divergence"]:
        lines += _divergence_item(item, d, quote_limit)
    if not d["divergence"]:
        lines += ["No key point met the divergence rules.", ""]
    minority = [k for k in d["key_points"] if k.get("minority")]
    lines += ["## Minority views", "", "Key points shared by fewer stakeholders than an area of convergence needs, kept apart.", ""]
    lines += [f"- {k['id']}: “{_escape(k['label'])}” — {_escape(', '.join(k['stakeholders']))}" for k in minority]
    r = d["representation"]
    lines += ["", "## Representation", "", f"{r['speakers']} stakeholders, {r['member_states']} Member States of 193.", "",
              "| Region | Spoke | Member States | Ratio | Flag |", "|---|---|---|---|---|"]
    for g in r["regions"]:
        ratio = "–" if g["ratio"] is None else f"{g['ratio']:.2f}"
        lines.append(f"| {g['name']} | {g['speakers']} | {g['reference']} | {ratio} | {g['flag'] or ''} |")
    if r["absent_types"]:
        lines += ["", "No speaker of type: " + ", ".join(r["absent_types"]) + "."]
    lines += ["", "## Key points", "", "| # | Key point | Stakeholders | Points | Theme | Source |", "|---|---|---|---|---|---|"]
    for k in d["key_points"]:
        label = _escape(k["label"]).replace("|", r"\|")
        source = k.get("label_source")  # absent from a synthesis.json written before labels had sources
        where = "–" if source is None else "the rapporteur's wording" if source == "rapporteur" else (
            f"{_escape(source['stakeholder'])}, `{source['id']}` characters {k['label_start']}–{k['label_end']}"
            + (" (part of the sentence)" if k["label_span"] else "")).replace("|", r"\|")
        lines.append(f"| {k['id']}{_changed(k)} | {label} | {k['n_stakeholders']} | {k['n_points']} | {k['theme_label'] or '–'} | {where} |")
    for title, key in (("Recommendations", "recommendations"), ("Practices", "practices")):
        lines += ["", f"## {title}", ""]
        for item in d[key]:
            p = item["point"]
            lines.append(f"- [{item['theme_label']}] “{_escape(p['text'])}” — {_escape(p['stakeholder'])} (`{p['id']}`)")
    if d.get("votes"):
        lines += _measured_section(d["votes"])
    if d["skipped"]:
        lines += ["", "## Skipped or amended input", ""]
        for p in d["skipped"]:
            where = p["source"] + (f":{p['line']}" if p["line"] else "")
            lines.append(f"- `{where}` — {_escape(p['reason'])} ({'skipped' if p['skipped'] else 'kept'})")
    if d.get("languages"):
        lines += ["", "## Languages", "", "| Language | Points | Analysed | Read by its own rules |", "|---|---|---|---|"]
        lines += [f"| {c['name']} ({code}) | {c['points']} | {c['analysed']} | {'yes' if c['home'] else 'no: kept, not analysed'} |"
                  for code, c in d["languages"]["counts"].items()]
    lines += ["", "## Limits", ""] + [f"- {_escape(l)}" for l in d["limits"]]
    return "\n".join(lines) + "\n"
