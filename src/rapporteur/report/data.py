"""The Synthesis as plain JSON-ready data: the one structure every renderer reads."""
from __future__ import annotations

from dataclasses import asdict

from rapporteur.schema import SCHEMA_VERSION, validate_synthesis


def synthesis_dict(synthesis) -> dict:
    from rapporteur.analysis.convergence import AgreementRules
    from rapporteur.analysis.keypoints import smallest_key_point

    points = synthesis.points
    agreement = synthesis.settings.get("agreement")
    rules = AgreementRules(**agreement) if agreement else AgreementRules()
    # a minority view: a key point shared by fewer stakeholders than an area of convergence needs
    few = smallest_key_point(synthesis.counts["speakers_analysed"], rules)

    def quotes(ids: list[str]) -> list[dict]:
        return [asdict(points[i]) for i in ids]

    themes = {t.id: t.label for t in synthesis.taxonomy.themes}
    key_points = [
        {
            "id": kp.id,
            "label": kp.label,
            "label_point": kp.label_point,
            "label_start": kp.label_start,
            "label_end": kp.label_end,
            "label_span": kp.label_span,
            "label_source": asdict(points[kp.label_point]),
            "quality": kp.quality,
            "keywords": kp.keywords,
            "theme": kp.theme,
            "theme_label": themes.get(kp.theme),
            "n_stakeholders": kp.n_stakeholders,
            "n_points": kp.n_points,
            "share_of_speakers": round(kp.n_stakeholders / max(synthesis.counts["speakers_analysed"], 1), 4),
            "minority": kp.n_stakeholders < few,
            "stakeholders": kp.stakeholders,
            "regions": kp.regions,
            "types": kp.types,
            "point_ids": kp.point_ids,
            "points": quotes(kp.point_ids),
            "against": kp.against,
            **_languages_of(kp, points, synthesis.languages),
        }
        for kp in synthesis.key_points
    ]
    convergence = [
        {
            "number": n,
            "key_point": c.key_point,
            "label": c.label,
            "n_stakeholders": c.n_stakeholders,
            "regions": c.regions,
            "types": c.types,
            "rule": c.rule,
            "point_ids": c.point_ids,
            "points": quotes(c.point_ids),
        }
        for n, c in enumerate(synthesis.convergence, 1)
    ]
    divergence = [
        {
            "number": n,
            "key_point": d.key_point,
            "label": d.label,
            "kind": d.kind,
            "rule": d.rule,
            "point_ids": d.point_ids,
            "expected": d.expected,
            "addressed_by": d.addressed_by,
            "of_stakeholders": d.of_stakeholders,
            "sides": [
                {
                    "position": s.position,
                    "key_point": s.key_point,
                    "label": s.label,
                    "stakeholders": s.stakeholders,
                    "regions": s.regions,
                    "types": s.types,
                    "point_ids": s.all_point_ids,
                    "quoted_point_ids": s.point_ids,
                    "points": quotes(s.point_ids),
                    "stance_probability": s.stance_probability,
                }
                for s in d.sides
            ],
        }
        for n, d in enumerate(synthesis.divergence, 1)
    ]
    compiled: dict[str, list[dict]] = {"recommendations": [], "practices": []}
    for item in synthesis.compiled:
        entry = {"point_id": item.point_id, "theme": item.theme, "theme_label": themes.get(item.theme, "No theme"),
                 "point": asdict(points[item.point_id])}
        compiled["recommendations" if item.kind == "recommendation" else "practices"].append(entry)
    return validate_synthesis({
        "schema_version": SCHEMA_VERSION,
        "title": synthesis.title,
        "about": synthesis.about,
        "taxonomy": {
            "name": synthesis.taxonomy.name,
            "source": synthesis.taxonomy.source,
            "themes": [{"id": t.id, "label": t.label, "description": t.description} for t in synthesis.taxonomy.themes],
        },
        "counts": synthesis.counts,
        "key_points": key_points,
        "convergence": convergence,
        "divergence": divergence,
        "representation": asdict(synthesis.representation),
        "recommendations": compiled["recommendations"],
        "practices": compiled["practices"],
        "unclustered_point_ids": synthesis.unclustered,
        "skipped": [
            {"source": p.source, "line": p.line, "reason": p.reason, "skipped": p.skipped}
            for p in synthesis.problems
        ],
        "settings": synthesis.settings,
        "limits": synthesis.limits,
        **({"languages": synthesis.languages} if synthesis.languages else {}),
    })


def _languages_of(kp, points, languages) -> dict:
    """A key point's quotes per language and its label's language, when languages were read."""
    if not languages:
        return {}
    counts: dict[str, int] = {}
    for pid in kp.point_ids:
        counts[points[pid].language] = counts.get(points[pid].language, 0) + 1
    return {"languages": counts, "label_language": points[kp.label_point].language}
