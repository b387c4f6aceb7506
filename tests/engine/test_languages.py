"""The six UN languages (issue 15): detection, each language's rules, the multilingual model, and a
synthesis whose key points span languages, on the UDHR excerpt in the six languages."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from rapporteur.cli import app
from rapporteur.ingest import read_path
from rapporteur.lang import UN_LANGUAGES, rules_for
from rapporteur.model import Contribution, Corpus, PointKind, Stakeholder, StakeholderType
from rapporteur.synthesis import SynthesisOptions, synthesize
from rapporteur.text.shown import shown

EXCERPT = Path(__file__).resolve().parents[2] / "examples" / "udhr-six-languages"


@pytest.fixture(scope="module")
def udhr() -> dict[str, list[str]]:
    return {code: (EXCERPT / f"{code}.txt").read_text(encoding="utf-8").splitlines() for code in UN_LANGUAGES}


@pytest.fixture(scope="module")
def e5():
    from rapporteur.embed.e5 import E5Embedder

    return E5Embedder()


def test_every_paragraph_is_detected_in_its_language(udhr):
    from rapporteur.lang.detect import detect

    for code, lines in udhr.items():
        found = [c for c, _ in detect(lines)]
        assert sum(c == code for c in found) / len(lines) >= 0.95, (code, found)


@pytest.mark.slow
def test_a_paragraph_finds_its_translation_in_every_other_language(udhr, e5, minilm):
    def accuracy(encode) -> float:
        vectors = {code: encode(lines) for code, lines in udhr.items()}
        hits = [((vectors[a] @ vectors[b].T).argmax(axis=1) == np.arange(len(vectors[a]))).mean()
                for a in vectors for b in vectors if a != b]
        return float(np.mean(hits))

    assert accuracy(e5.encode) >= 0.95
    assert accuracy(minilm.encode) < 0.5  # why English-only MiniLM cannot serve several languages


@pytest.mark.parametrize("code, text, stance", [
    ("fr", "Nous rejetons ce pacte, qui menace notre souveraineté.", "oppose"),
    ("fr", "Nous saluons l'adoption du pacte mondial.", "support"),
    ("fr", "Chaque État a le droit souverain de déterminer sa politique migratoire.", "reservation"),
    ("es", "Mi Gobierno no firmará el pacto mundial.", "oppose"),
    ("es", "Apoyamos plenamente el pacto mundial para la migración.", "support"),
    ("ru", "Мы отвергаем этот документ.", "oppose"),
    ("ru", "Мы приветствуем принятие глобального договора.", "support"),
    ("ar", "نرفض هذا الاتفاق رفضا قاطعا.", "oppose"),
    ("ar", "ونرحب باعتماد الاتفاق العالمي من أجل الهجرة.", "support"),
    ("zh", "我国不会签署该契约。", "oppose"),
    ("zh", "我们欢迎通过移民问题全球契约。", "support"),
    ("zh", "该契约不具有法律约束力。", "reservation"),
])
def test_stance_cues_in_each_language(code, text, stance):
    assert rules_for(code).stance_of(text).value == stance


@pytest.mark.parametrize("code, procedural, recommendation", [
    ("fr", "Je tiens à féliciter le Président pour son élection.", "Les États doivent protéger les droits des migrants."),
    ("es", "Quisiera felicitar al Presidente por su elección.", "Los Estados deben proteger los derechos de los migrantes."),
    ("ru", "Позвольте поздравить Председателя с избранием.", "Государства должны защищать права мигрантов."),
    ("ar", "أود أن أهنئ الرئيس على انتخابه.", "يجب على الدول حماية حقوق المهاجرين."),
    ("zh", "首先，我祝贺主席当选。", "各国必须保护移民的权利。"),
])
def test_procedural_text_and_recommendations_in_each_language(code, procedural, recommendation):
    rules = rules_for(code)
    assert rules.is_procedural(procedural) and not rules.is_procedural(recommendation)
    assert rules.kind_of(recommendation) == "recommendation" and rules.kind_of(procedural) is None


def _mixed_corpus(udhr) -> Corpus:
    """Twelve speakers, two per language, each saying 22 of the 49 paragraphs, the windows overlapping."""
    contributions = []
    for k, code in enumerate(UN_LANGUAGES):
        for j in range(2):
            start = (k * 5 + j * 13) % 49
            text = "\n\n".join(udhr[code][(start + i) % 49] for i in range(22))
            kind = StakeholderType.MEMBER_STATE if j == 0 else StakeholderType.CIVIL_SOCIETY
            contributions.append(Contribution(f"{code}-{j}", Stakeholder(f"speaker {code}-{j}", kind), text,
                                              source=f"{code}-{j}.txt"))
    return Corpus(contributions)


@pytest.fixture(scope="module")
def mixed(udhr, tmp_path_factory):
    corpus = _mixed_corpus(udhr)
    result = synthesize(corpus, SynthesisOptions(title="UDHR in six languages"))
    return corpus, result, result.to_dict()


@pytest.mark.slow
def test_a_mixed_synthesis_keeps_key_points_that_span_languages(mixed):
    corpus, result, document = mixed
    assert document["settings"]["embedding_model"].startswith("intfloat/multilingual-e5-small")
    spanning = [k for k in document["key_points"] if len(k["languages"]) >= 3]
    assert spanning, [(k["label"], k["languages"]) for k in document["key_points"]]
    source = {c.id: c.text for c in corpus.contributions}
    for k in document["key_points"]:
        for p in k["points"]:
            assert p["text"] == shown(source[p["contribution"]][p["start"]:p["end"]])  # verbatim, in its own language
            assert p["language"] == p["contribution"].split("-")[0]
        assert k["label_language"] == k["label_source"]["language"]


@pytest.mark.slow
def test_the_languages_section_says_what_each_stage_read(mixed):
    _, result, document = mixed
    counts = document["languages"]["counts"]
    assert set(counts) == set(UN_LANGUAGES)
    assert all(c["analysed"] > 0 and c["home"] for c in counts.values())
    assert counts["ar"]["direction"] == "rtl" and counts["fr"]["direction"] == "ltr"
    learned = next(s for s in document["languages"]["stages"] if s["stage"] == "matcher and stance model")
    assert learned["read"] == ["en"]
    assert document["languages"]["not_read_by_learned"] == sum(c["analysed"] for k, c in counts.items() if k != "en")
    assert any("not in English" in line for line in document["limits"])


@pytest.mark.slow
def test_arabic_quotes_are_laid_out_right_to_left(mixed, tmp_path):
    from rapporteur.report import write_reports

    _, result, _ = mixed
    written = write_reports(result, tmp_path, ("html", "md"))
    html = written["html"].read_text(encoding="utf-8")
    shown_languages = re.findall(r'<p lang="(\w+)" dir="(\w+)">', html)
    assert {code for code, _ in shown_languages} - {"en"}, "no quote in another language is shown"
    assert all((layout == "rtl") == (code == "ar") for code, layout in shown_languages)
    assert "Arabic (ar, right to left)" in html
    assert "<h3 id=\"languages\">Languages</h3>" in html


@pytest.mark.slow
def test_an_english_corpus_runs_as_before(demo_dir, tmp_path):
    from rapporteur.embed import EmbeddingCache

    cache = EmbeddingCache(tmp_path / "readings.sqlite")  # the second run reads no text or pair again
    corpus = read_path(demo_dir)
    auto = synthesize(corpus, SynthesisOptions(about="migration"), cache=cache)
    english = synthesize(read_path(demo_dir), SynthesisOptions(about="migration", languages="en"), cache=cache)
    assert auto.settings["embedding_model"] == english.settings["embedding_model"]
    assert "MiniLM" in auto.settings["embedding_model"]
    assert [k.label for k in auto.key_points] == [k.label for k in english.key_points]
    assert set(auto.to_dict()["languages"]["counts"]) == {"en"} and english.to_dict().get("languages") is None


@pytest.mark.slow
def test_a_language_without_a_home_is_kept_and_not_analysed(udhr):
    german = ("Die Mitgliedstaaten müssen die Rechte aller Migranten achten und schützen. "
              "Wir lehnen jede Form der Diskriminierung von Flüchtlingen entschieden ab.")
    corpus = Corpus([Contribution("de-1", Stakeholder("Verband", StakeholderType.CIVIL_SOCIETY), german, source="de.txt")]
                    + [Contribution(f"en-{i}", Stakeholder(f"speaker {i}"), "\n\n".join(udhr["en"][i * 7:i * 7 + 20]))
                       for i in range(4)])
    result = synthesize(corpus, SynthesisOptions())
    document = result.to_dict()
    assert document["languages"]["counts"]["de"] == {"name": "German", "direction": "ltr", "points": 2, "analysed": 0,
                                                      "home": False}
    assert document["counts"]["unread_language"] == 2
    assert not any(pid.startswith("de-1") for k in result.key_points for pid in k.point_ids)
    assert any("German (2 points)" in line for line in document["limits"])


def test_a_wrong_declared_language_is_reported_and_the_text_read_as_it_is(tmp_path, udhr):
    path = tmp_path / "statements.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["stakeholder", "text", "language"])
        writer.writerow(["A", udhr["en"][0], "fr"])
        writer.writerow(["B", udhr["fr"][1], "French"])
        writer.writerow(["C", udhr["es"][2], "klingon"])
    corpus = read_path(path)
    assert any("unknown language 'klingon'" in p.reason and p.line == 4 and not p.skipped for p in corpus.problems)
    result = synthesize(corpus, SynthesisOptions(learned=False))
    problems = [p for p in result.problems if "declared language" in p.reason]
    assert len(problems) == 1 and "'fr'" in problems[0].reason and "read as en" in problems[0].reason
    assert [c.language for c in corpus.contributions] == ["en", "fr", "es"]


def test_the_cli_refuses_an_unknown_languages_mode(demo_dir, tmp_path):
    result = CliRunner().invoke(app, ["synthesize", str(demo_dir), "--languages", "xx", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--languages" in result.output


def test_chinese_and_arabic_lines_are_sentences_not_titles(udhr):
    from rapporteur.text.segment import segment

    for code in ("zh", "ar"):
        points = segment(Contribution(code, Stakeholder("x"), "\n\n".join(udhr[code][:10])))
        assert all(p.kind is not PointKind.HEADING for p in points), [(p.kind, p.text[:30]) for p in points]


def test_a_contribution_in_two_languages_has_points_in_each(udhr):
    from rapporteur.lang.points import read_languages
    from rapporteur.text.segment import segment

    text = "\n\n".join([udhr["en"][0], udhr["fr"][3], udhr["en"][5], udhr["ar"][7]])
    corpus = Corpus([Contribution("mixed", Stakeholder("A delegation"), text)])
    points = segment(corpus.contributions[0])
    counts = read_languages(corpus, points)
    assert corpus.contributions[0].language == "en"
    assert [p.language for p in points if p.analysed][:1] == ["en"]
    assert {"en", "fr", "ar"} <= set(counts)
    for p in points:  # each sentence keeps its own words, offsets and all
        assert p.text == shown(text[p.start:p.end])
