"""`rapporteur votes` end to end on Pol.is open data (CC BY 4.0, The Computational Democracy Project)."""
from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from rapporteur.cli import app

from .conftest import write

runner = CliRunner()


def test_votes_report_on_vtaiwan(opendata, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["votes", str(opendata / "vtaiwan.uberx"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "synthesis.json").read_text(encoding="utf-8"))
    assert data["counts"]["votes"] == 49443
    groups = {p["group"] for p in data["participants"]}
    assert None in groups and len(groups - {None}) == len(data["groups"]) >= 2
    first = data["statements"][0]
    assert {"id", "text", "agree", "disagree", "pass", "group_informed_consensus"} <= set(first)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "chart-map" in html and "window.Plotly" in html and "CC BY 4.0" in html
    assert "Opinion groups" in (out / "report.md").read_text(encoding="utf-8")


def test_known_groups_table_from_a_participants_file(opendata, tmp_path):
    """Pol.is's own group ids, given as a participant attribute, must diverge between groups."""
    participants = tmp_path / "participants.csv"
    with open(opendata / "bg2050-volunteers" / "participants-votes.csv", encoding="utf-8") as source, \
            open(participants, "w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target)
        writer.writerow(["participant", "polis_group"])
        for row in csv.DictReader(source):
            if row["group-id"] != "":
                writer.writerow([row["participant"], f"group {row['group-id']}"])
    out = tmp_path / "out"
    result = runner.invoke(app, ["votes", str(opendata / "bg2050-volunteers"), "--participants", str(participants),
                                 "--group-by", "polis_group", "--out", str(out), "--format", "json,html"])
    assert result.exit_code == 0, result.output
    known = json.loads((out / "synthesis.json").read_text(encoding="utf-8"))["known_groups"]
    assert [g["name"] for g in known["groups"]] == ["group 0", "group 1"]
    assert known["divergence"], "groups Pol.is separated by their votes differ on some statement"
    assert "By polis_group" in (out / "report.html").read_text(encoding="utf-8")


def test_statement_text_is_escaped(tmp_path):
    folder = tmp_path / "conv"
    write(folder, "statements.csv", 'id,text\ns1,"<script>alert(1)</script> more buses"\ns2,Parks\n')
    write(folder, "votes.csv", "participant,statement,vote\n" + "".join(
        f"p{i},s1,{1 if i % 2 else -1}\np{i},s2,1\n" for i in range(20)))
    result = runner.invoke(app, ["votes", str(folder), "--out", str(tmp_path / "out"), "--format", "html,md"])
    assert result.exit_code == 0, result.output
    for name in ("report.html", "report.md"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    folder = tmp_path / "conv"
    write(folder, "statements.csv", "id,text\ns1,Parks\n")
    write(folder, "votes.csv", "participant,statement\np1,s1\n")
    result = runner.invoke(app, ["votes", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "votes.csv" in result.output
    missing = runner.invoke(app, ["votes", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "no such file or folder" in missing.output
