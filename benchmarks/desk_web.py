"""The desk's answer on the platform: each edit posted as the desk's forms post it (htmx), timed from the
request to the desk's body coming back (the engine's edit, the document saved, the report rendered again,
the audit entry, the desk rendered), on the demo's draft (a 300-point session), SQLite in a temporary folder.

    .venv/bin/python benchmarks/desk_web.py --demo demo-report/synthesis.json [--repeat 3]

Prints p50, p95 and max over the edits of examples/demo-edits.yaml that the desk's forms make, then
as many notes (the cheapest edit: the floor of the answer), in a warm process (a first round, not
counted, warms it up: imports and caches, as a long-running server is). No model is read (a moved point's reading
is left to the CLI).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def forms(edits) -> list[dict]:
    """The demo's edits as the desk's forms post them (split has no form: a quote moved to "new" does it)."""
    out = []
    for e in edits:
        if e.do == "merge":
            out.append({"do": "merge", "key_point": e.key_points[0], "other": e.key_points[1]})
        elif e.do == "reorder":
            out.append({"do": "reorder", "list": e.list, "item": e.order[0]})
        elif e.do == "move":
            out.append({"do": "move", "point": e.point, "to": e.to or ""})
        elif e.do in ("relabel", "drop", "promote", "note", "mark", "dismiss"):
            out.append({k: v for k, v in e.model_dump(exclude_defaults=True).items() if k != "anchors"} | {"do": e.do})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, default=ROOT / "demo-report" / "synthesis.json")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = json.loads(args.demo.read_text(encoding="utf-8"))
    os.environ["RAPPORTEUR_DATA_DIR"] = tempfile.mkdtemp(prefix="desk-web-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapporteur.web.config.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from rapporteur.edits import read_edits
    from rapporteur.report.html import render_html_dict
    from rapporteur.web.processes.gcm import seed_gcm
    from rapporteur.web.processes.models import Session
    from rapporteur.web.syntheses.models import Synthesis

    call_command("migrate", verbosity=0)
    process = seed_gcm()
    session = Session.objects.filter(phase__process=process, kind="thematic").first()
    user = User.objects.create_user("rapporteur", password="x")
    user.groups.add(Group.objects.get(name="rapporteur"))
    client = Client(HTTP_HX_REQUEST="true", HTTP_HOST="localhost")
    client.force_login(user)
    demo_forms = forms(read_edits(ROOT / "examples" / "demo-edits.yaml"))
    times, notes = [], []
    for version in range(0, args.repeat + 1):  # round 0 warms the process up (imports, caches): not counted
        synthesis = Synthesis.objects.create(session=session, version=version + 1, status="draft", data=data,
                                             report_html=render_html_dict(data))
        url = reverse("syntheses:desk-edit", args=[synthesis.pk])
        seen = 0
        for form in demo_forms + [{"do": "note", "item": "KP4", "text": f"note {n}"} for n in range(len(demo_forms))]:
            began = time.perf_counter()
            answer = client.post(url, {**form, "seen": seen})
            took = time.perf_counter() - began
            if answer.status_code != 200:
                sys.exit(f"{form}: {answer.status_code} {answer.content.decode()[:300]}")
            seen += 1
            if version == 0:
                continue
            (notes if form["do"] == "note" and form["text"].startswith("note ") else times).append(took)
    for name, values in (("the demo's edits", times), ("notes", notes)):
        ms = np.array(values) * 1000
        print(f"{name}: {len(ms)} answers, p50 {np.percentile(ms, 50):.0f} ms, p95 {np.percentile(ms, 95):.0f} ms, "
              f"max {ms.max():.0f} ms")
    print(f"({len(data['points'])} analysed points, {len(data['key_points'])} key points; SQLite)")


if __name__ == "__main__":
    main()
