"""`rapporteur coverage --draft`: the draft's split, what each paragraph reflects against a real synthesis
(2017 General Debate speeches), the lists, and the bad inputs the issue names."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapporteur.analysis.coverage import CoverageRules, cover, english_share
from rapporteur.analysis.readings import LearnedReadings
from rapporteur.cli import app
from rapporteur.errors import InputError
from rapporteur.ingest.draft import read_draft, split_draft
from rapporteur.model import Contribution, Corpus, Stakeholder, StakeholderType
from rapporteur.synthesis import SynthesisOptions, synthesize

from .speeches import speech

ROOT = Path(__file__).resolve().parents[2]
OBJECTIVES = ROOT / "examples" / "gcm-draft" / "objectives.md"
UNRELATED = "The cafeteria on the third floor will close at four o'clock on Fridays for cleaning of the ovens."
runner = CliRunner()


# ----------------------------------------------------------------------------------- the split
def test_numbered_paragraphs_are_cut_with_their_preamble_and_kept_verbatim():
    text = ("We, the Heads of State, meeting in Marrakech,\n\n1. Reaffirm the Universal Declaration.\n"
            "2. Commit to  save lives:\n(a) search and rescue;\n(b) data.\n\n3. Will review progress.\n")
    draft = split_draft(text, "zero-draft.txt")
    assert draft.split == "numbered paragraphs"
    assert [p.id for p in draft.paragraphs] == ["preamble", "1", "2", "3"]
    assert all(text[p.start:p.end] == p.text for p in draft.paragraphs)
    assert draft.paragraphs[2].text.endswith("(b) data.")  # sub-items stay in their paragraph
    assert not draft.notes


def test_objectives_headings_and_blank_lines_are_the_next_rules():
    assert [p.id for p in read_draft(OBJECTIVES).paragraphs] == [f"objective-{i}" for i in range(1, 24)]
    headed = split_draft("# Vision\nA safe world.\n\n# Objectives\nData and more data.\n", "d.md")
    assert headed.split == "headings" and [p.text for p in headed.paragraphs] == ["# Vision\nA safe world.",
                                                                                  "# Objectives\nData and more data."]
    blocks = split_draft("First block.\n\n\nSecond block,\nstill second.\n", "d.txt")
    assert blocks.split == "blank lines" and [p.id for p in blocks.paragraphs] == ["p1", "p2"]


def test_a_draft_of_one_paragraph_is_said_so_and_an_empty_one_refused():
    one = split_draft("Migration should be safe, orderly and regular for all.", "one.txt")
    assert len(one.paragraphs) == 1 and "read as one paragraph" in one.notes[0] and "one.txt" in one.notes[0]
    with pytest.raises(InputError, match="empty.txt: the draft is empty"):
        split_draft(" \n\n ", "empty.txt")


# ------------------------------------------------------------------------ against a real synthesis
@pytest.fixture(scope="module")
def document(minilm):
    contributions = [Contribution(code, Stakeholder(code, StakeholderType.MEMBER_STATE), speech(code))
                     for code in ("MEX", "DEU", "PHL", "NGA", "ITA", "USA", "BGD", "SEN")]
    return synthesize(Corpus(contributions), SynthesisOptions(title="Eight speeches", about="migration"),
                      embedder=minilm).to_dict()


@pytest.fixture(scope="module")
def readings():
    from rapporteur.fidelity.matcher import default_matcher
    from rapporteur.fidelity.stance_model import default_stance_model

    return LearnedReadings(default_matcher().scorer, default_stance_model().scorer)


def test_a_paragraph_saying_a_key_point_reflects_it_and_an_unrelated_one_is_unsupported(document, readings, minilm):
    kp = document["key_points"][0]
    draft = split_draft(f"1. {kp['label']}\n\n2. {UNRELATED}\n", "draft.txt")
    result = cover(draft, document, readings, minilm)
    first, second = result["paragraphs"]
    assert first["key_points"][0]["id"] == kp["id"] and first["key_points"][0]["reflects"]
    assert first["key_points"][0]["probability"] >= 0.5 and first["key_points"][0]["sentence"] in first["text"]
    assert first["key_points"][0]["quotes"][0]["text"] in {p["text"] for p in kp["points"]}  # verbatim quotes
    assert second["key_points"] == [] and result["unsupported"] == ["2"]
    by_id = {k["id"]: k for k in result["key_points"]}
    assert by_id[kp["id"]]["reflected"] and by_id[kp["id"]]["paragraphs"] == ["1"]
    convergence = {c["key_point"] for c in document["convergence"]}
    assert set(result["missing"]) == {k for k in convergence if not by_id[k]["reflected"]}
    assert kp["id"] not in result["missing"]


def test_the_objectives_as_a_draft(document, readings, minilm):
    result = cover(read_draft(OBJECTIVES), document, readings, minilm)
    assert [p["id"] for p in result["paragraphs"]] == [f"objective-{i}" for i in range(1, 24)]
    reflected = {p["id"] for p in result["paragraphs"] if any(k["reflects"] for k in p["key_points"])}
    assert reflected  # the key points of these States are read in the objectives (generic or not: next test)
    for p in result["paragraphs"]:
        for k in p["key_points"]:
            assert k["probability"] >= 0.5 and k["sentence"] in p["text"]
    for s in result["settled"]:
        assert {x["side"] for x in s["paragraphs"]} <= {"for", "against"}


def test_a_key_point_read_in_most_objectives_is_generic_and_raises_none_of_them(document, readings, minilm):
    """The eight speeches' broad key point ("We need to prevent conflict and natural disasters and the
    humanitarian and migration ...") is read in most of the 23 objectives: the draft as a whole reflects
    it, no objective counts as raised by it alone, and the rule is counted here from the readings."""
    result = cover(read_draft(OBJECTIVES), document, readings, minilm)
    addressed = {}
    for p in result["paragraphs"]:
        for k in p["key_points"]:
            addressed.setdefault(k["id"], []).append(p["id"])
    generic = {k for k, ps in addressed.items() if len(ps) >= 4 and len(ps) > 23 / 3}
    assert generic and set(result["generic"]) == generic
    by_id = {k["id"]: k for k in result["key_points"]}
    for k in generic:
        assert by_id[k]["generic"] and by_id[k]["reflected"] and by_id[k]["paragraphs"] == [] == by_id[k]["against"]
        assert set(by_id[k]["broadly"]) <= set(addressed[k]) and by_id[k]["broadly"]
        assert k not in result["missing"]
    for p in result["paragraphs"]:
        specific = [k for k in p["key_points"] if not k["generic"]]
        assert (p["id"] in result["unsupported"]) == (not specific)
        assert p["key_points"] == specific + [k for k in p["key_points"] if k["generic"]]  # specific first
    # the rule off: the same readings, every paragraph it is read in counted for it
    off = cover(read_draft(OBJECTIVES), document, readings, minilm, rules=CoverageRules(generic_share=1.0))
    assert off["generic"] == [] and len(off["unsupported"]) < len(result["unsupported"])
    for k in generic:
        assert {k2["id"]: k2 for k2 in off["key_points"]}[k]["paragraphs"] == by_id[k]["broadly"]



def test_reading_the_key_points_statements_keeps_a_subset_and_a_statement_of_its_own(document, readings, minilm):
    """``evidence="both"`` also asks the key point's own statements: it reflects no pair the label reading
    does not, each kept pair has most of its nearest statements behind it, a key point's label, as a
    paragraph, is still reflected (its statements make its point), and one statement of a key point that
    most of the others do not make is no longer taken as the key point reflected."""
    kp = max(document["key_points"], key=lambda k: k["n_points"])
    own = next(p["text"] for p in kp["points"] if "Mexico" in p["text"])  # a point the label reading over-reads
    objectives = [p.text.replace("\n", " ") for p in read_draft(OBJECTIVES).paragraphs]
    draft = split_draft("\n\n".join(f"{n}. {t}" for n, t in enumerate([kp["label"], UNRELATED, own, *objectives], 1)),
                        "draft.md")
    label = cover(draft, document, readings, minilm)
    both = cover(draft, document, readings, minilm, rules=CoverageRules(evidence="both"))
    pairs = lambda r: {(p["id"], k["id"]) for p in r["paragraphs"] for k in p["key_points"] if k["reflects"]}
    assert pairs(both) <= pairs(label)
    assert ("1", kp["id"]) in pairs(both)
    assert ("3", kp["id"]) in pairs(label) and ("3", kp["id"]) not in pairs(both)
    shares = [k["members"] for p in both["paragraphs"] for k in p["key_points"] if k["reflects"]]
    assert shares and all(s > 0.5 for s in shares)
    assert both["rules"]["evidence"] == "both" and "2" in both["unsupported"]

# ------------------------------------------------------------------------------------- the CLI
@pytest.fixture(scope="module")
def synthesis_json(document, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("coverage") / "synthesis.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_command_writes_the_three_formats(synthesis_json, tmp_path):
    result = runner.invoke(app, ["coverage", "--draft", str(OBJECTIVES), str(synthesis_json), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "coverage.json").read_text(encoding="utf-8"))
    assert set(data) >= {"paragraphs", "key_points", "missing", "unsupported", "settled"}
    assert {"id", "text", "key_points"} <= set(data["paragraphs"][0])
    assert {"id", "label", "reflected", "paragraphs"} <= set(data["key_points"][0])
    markdown = (tmp_path / "coverage.md").read_text(encoding="utf-8")
    assert "## Convergence not in the draft" in markdown and "### ¶ objective-23" in markdown
    html = (tmp_path / "coverage.html").read_text(encoding="utf-8")
    assert 'id="chart-coverage"' in html and "Plotly.newPlot" in html
    assert "23 paragraphs (objectives)" in result.output


def test_bad_drafts_and_sources_are_refused_naming_the_file(synthesis_json, tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_text("\n\n", encoding="utf-8")
    refused = runner.invoke(app, ["coverage", "--draft", str(empty), str(synthesis_json), "--out", str(tmp_path / "o")])
    assert refused.exit_code == 2 and "empty.md: the draft is empty" in refused.output
    unknown = runner.invoke(app, ["coverage", "--draft", str(OBJECTIVES), str(synthesis_json), "--evidence", "votes",
                                  "--out", str(tmp_path / "o")])
    assert unknown.exit_code == 2 and "--evidence must be 'label' or 'both'" in unknown.output

    from fpdf import FPDF

    scanned = tmp_path / "scanned.pdf"
    pdf = FPDF()
    pdf.add_page()  # a page with no text layer, as a scan without OCR
    pdf.output(str(scanned))
    refused = runner.invoke(app, ["coverage", "--draft", str(scanned), str(synthesis_json), "--out", str(tmp_path / "o")])
    assert refused.exit_code == 2 and "scanned.pdf" in refused.output and "no extractable text" in refused.output

    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({**json.loads(synthesis_json.read_text()), "schema_version": 99}), encoding="utf-8")
    refused = runner.invoke(app, ["coverage", "--draft", str(OBJECTIVES), str(newer), "--out", str(tmp_path / "o")])
    assert refused.exit_code == 2 and "newer.json" in refused.output and "schema version 99" in refused.output

    one = tmp_path / "one.txt"
    one.write_text("Migration should be safe, orderly and regular for all.\n", encoding="utf-8")
    said = runner.invoke(app, ["coverage", "--draft", str(one), str(synthesis_json), "--out", str(tmp_path / "o1")])
    assert said.exit_code == 0 and "read as one paragraph" in said.output

    french = tmp_path / "projet.txt"
    french.write_text("1. Les migrations doivent être sûres, ordonnées et régulières pour tous les pays.\n\n"
                      "2. Nous réaffirmons les droits de l'homme de tous les migrants, quel que soit leur statut.\n",
                      encoding="utf-8")
    said = runner.invoke(app, ["coverage", "--draft", str(french), str(synthesis_json), "--out", str(tmp_path / "o2")])
    assert said.exit_code == 0 and "does not read as English" in said.output
    assert english_share(OBJECTIVES.read_text(encoding="utf-8")) > 0.15


# ---------------------------------------------------------------------------------------- uptake
@pytest.fixture(scope="module")
def later_speeches(tmp_path_factory, demo_dir) -> Path:
    """Other 2017 speeches in the UNGDC layout, as the later contributions."""
    import shutil

    root = tmp_path_factory.mktemp("later")
    folder = root / "TXT" / "Session 72 - 2017"
    folder.mkdir(parents=True)
    for code in ("CAN", "KEN", "GTM", "ECU", "JOR", "LBN"):
        shutil.copy(Path(demo_dir) / "TXT" / "Session 72 - 2017" / f"{code}_72_2017.txt", folder)
    return root


def test_uptake_traces_key_points_into_later_speeches_verbatim(document, readings, minilm, later_speeches):
    from rapporteur.analysis.uptake import items_of, trace
    from rapporteur.ingest import read_path

    corpus = read_path(later_speeches)
    items = items_of(document)
    result = trace(items, corpus, readings, minilm, about="migration")
    assert result["contributions"] == 6 and len(result["items"]) == len(document["key_points"])
    texts = {c.id: c.text for c in corpus.contributions}
    taken = [i for i in result["items"] if i["taken_up"]]
    assert taken, "no key point of eight 2017 speeches is taken up by six others"
    for item in taken:
        assert item["n_stakeholders"] == len({u["stakeholder"] for u in item["uptakes"]})
        for u in item["uptakes"]:
            assert u["probability"] >= 0.5 and u["session"] and u["country"]
            assert " ".join(texts[u["contribution"]][u["start"]:u["end"]].split()) == " ".join(u["text"].split())
    assert set(result["not_taken_up"]) == {i["id"] for i in result["items"] if not i["taken_up"]}
    later = trace(items, corpus, readings, minilm, about="migration", after="2018")
    assert later["contributions"] == 0 and later["not_taken_up"] == [i.id for i in items]


def test_the_uptake_command_reads_recommendations_from_a_document(tmp_path, later_speeches):
    recommendations = tmp_path / "forum.md"
    recommendations.write_text(
        "1. States should expand regular pathways for migration, including labour mobility.\n\n"
        "2. States should combat human trafficking and the smuggling of migrants.\n\n"
        f"3. {UNRELATED}\n", encoding="utf-8")
    result = runner.invoke(app, ["uptake", str(recommendations), "--in", str(later_speeches), "--about", "migration",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "uptake.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in data["items"]] == ["1", "2", "3"] and "3" in data["not_taken_up"]
    assert (tmp_path / "out" / "uptake.html").read_text(encoding="utf-8").count('id="chart-uptake"') == 1
    assert "## Not taken up" in (tmp_path / "out" / "uptake.md").read_text(encoding="utf-8")
    missing = runner.invoke(app, ["uptake", str(recommendations), "--in", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")])
    assert missing.exit_code == 2 and "nowhere" in missing.output
