"""The Synthesis as the typed document (``rapporteur.schema.SynthesisDocument``), and as plain JSON-ready data.

``synthesis_document`` builds the typed document every reader knows; ``as_data`` writes it as the plain
``synthesis.json`` data the renderers read (only the fields that were set, so a document without, say,
votes has no ``votes`` key). ``convergence_item`` and ``divergence_item`` turn the rules' findings
(``analysis.convergence``) into schema items; the revision code (``rapporteur.revision``) uses them too.
"""
from __future__ import annotations

from dataclasses import asdict

from rapporteur.schema import (SCHEMA_VERSION, CompiledItem, Convergence, Divergence, KeyPoint, QuotedPoint, Side,
                               SynthesisDocument)


def synthesis_document(synthesis) -> SynthesisDocument:
    """The typed document of a ``synthesis.Synthesis``."""
    from rapporteur.analysis.convergence import AgreementRules
    from rapporteur.analysis.keypoints import smallest_key_point

    quoted = {pid: QuotedPoint(**asdict(p)) for pid, p in synthesis.points.items()}
    agreement = synthesis.settings.get("agreement")
    rules = AgreementRules(**agreement) if agreement else AgreementRules()
    speakers = synthesis.counts["speakers_analysed"]
    # a minority view: a key point shared by fewer stakeholders than an area of convergence needs
    few = smallest_key_point(speakers, rules)

    def quotes(ids: list[str]) -> list[QuotedPoint]:
        return [quoted[i] for i in ids]

    themes = {t.id: t.label for t in synthesis.taxonomy.themes}
    key_points = [
        KeyPoint(
            id=kp.id, label=kp.label, label_point=kp.label_point, label_start=kp.label_start, label_end=kp.label_end,
            label_span=kp.label_span, label_source=quoted[kp.label_point], quality=kp.quality, keywords=kp.keywords,
            theme=kp.theme, theme_label=themes.get(kp.theme), n_stakeholders=kp.n_stakeholders, n_points=kp.n_points,
            **prevalence(kp.n_stakeholders, speakers, few),
            stakeholders=kp.stakeholders, regions=kp.regions, types=kp.types, point_ids=kp.point_ids,
            points=quotes(kp.point_ids), against=kp.against,
            **languages_of(kp.point_ids, kp.label_point, quoted, synthesis.languages),
        )
        for kp in synthesis.key_points
    ]
    compiled: dict[str, list[CompiledItem]] = {"recommendations": [], "practices": []}
    for item in synthesis.compiled:
        entry = CompiledItem(point_id=item.point_id, theme=item.theme,
                             theme_label=themes.get(item.theme, "No theme"), point=quoted[item.point_id])
        compiled["recommendations" if item.kind == "recommendation" else "practices"].append(entry)
    return SynthesisDocument(
        schema_version=SCHEMA_VERSION,
        title=synthesis.title,
        about=synthesis.about,
        taxonomy={
            "name": synthesis.taxonomy.name,
            "source": synthesis.taxonomy.source,
            "themes": [{"id": t.id, "label": t.label, "description": t.description} for t in synthesis.taxonomy.themes],
        },
        counts=synthesis.counts,
        key_points=key_points,
        convergence=[convergence_item(n, c, quotes) for n, c in enumerate(synthesis.convergence, 1)],
        divergence=[divergence_item(n, d, quotes) for n, d in enumerate(synthesis.divergence, 1)],
        representation=asdict(synthesis.representation),
        recommendations=compiled["recommendations"],
        practices=compiled["practices"],
        unclustered_point_ids=synthesis.unclustered,
        skipped=[{"source": p.source, "line": p.line, "reason": p.reason, "skipped": p.skipped}
                 for p in synthesis.problems],
        settings=synthesis.settings,
        limits=synthesis.limits,
        **({"languages": synthesis.languages} if synthesis.languages else {}),
        points=list(quoted.values()),
        rivals=sorted(synthesis.rivals),
    )


def prevalence(n_stakeholders: int, speakers: int, few: int) -> dict:
    """A key point's share of the speakers analysed, and whether it is a minority view: shared by fewer
    than ``few`` stakeholders (``analysis.keypoints.smallest_key_point``), the fewest an area of convergence needs."""
    return {"share_of_speakers": round(n_stakeholders / max(speakers, 1), 4), "minority": n_stakeholders < few}


def synthesis_dict(synthesis) -> dict:
    """``synthesis.json``'s data of a ``synthesis.Synthesis``."""
    return as_data(synthesis_document(synthesis))


def as_data(document: SynthesisDocument) -> dict:
    """The document as plain data: every field that was set (by the pipeline, a reader or an edit)."""
    return document.model_dump(exclude_unset=True)


def convergence_item(number: int, c, quotes) -> Convergence:
    """An area of convergence (``analysis.convergence.Convergence``) as the schema's item."""
    return Convergence(number=number, key_point=c.key_point, label=c.label, n_stakeholders=c.n_stakeholders,
                       regions=c.regions, types=c.types, rule=c.rule, point_ids=c.point_ids,
                       points=quotes(c.point_ids))


def divergence_item(number: int, d, quotes) -> Divergence:
    """A divergence (``analysis.convergence.Divergence``) as the schema's item, with its stable id."""
    return Divergence(
        number=number, key_point=d.key_point, label=d.label, kind=d.kind, rule=d.rule, point_ids=d.point_ids,
        expected=d.expected, addressed_by=d.addressed_by, of_stakeholders=d.of_stakeholders,
        sides=[Side(position=s.position, key_point=s.key_point, label=s.label, stakeholders=s.stakeholders,
                    regions=s.regions, types=s.types, point_ids=s.all_point_ids, quoted_point_ids=s.point_ids,
                    points=quotes(s.point_ids), stance_probability=s.stance_probability)
               for s in d.sides],
        id=divergence_id(d.kind, d.key_point, d.expected),
    )


def divergence_id(kind: str, key_point: str | None, expected: str | None) -> str:
    """opposed-KP2, disputed-KP5 (a key point has at most one of each), or unaddressed-<the expected item,
    in lower case words joined by '-'>."""
    if kind == "unaddressed":
        import re

        return "unaddressed-" + "-".join(re.findall(r"\w+", (expected or "").lower()))[:60]
    return f"{kind}-{key_point}"


def languages_of(point_ids, label_point, quoted, languages) -> dict:
    """A key point's quotes per language and its label's language, when languages were read."""
    if not languages:
        return {}
    counts: dict[str, int] = {}
    for pid in point_ids:
        counts[quoted[pid].language] = counts.get(quoted[pid].language, 0) + 1
    return {"languages": counts, "label_language": quoted[label_point].language if label_point in quoted else None}
