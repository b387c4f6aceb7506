"""What changed between two synthesis documents (a draft and its revision, or two revisions): the lines
``rapporteur revise --diff A.json B.json`` prints, and the public page's "changed by the rapporteur"."""
from __future__ import annotations

from rapporteur.schema import SynthesisDocument


def differences(a: SynthesisDocument, b: SynthesisDocument) -> list[str]:
    """One line per change, key points first, then the areas of convergence, then the divergences."""
    lines: list[str] = []
    before, after = {k.id: k for k in a.key_points}, {k.id: k for k in b.key_points}
    for kp_id, kp in before.items():
        if kp_id not in after:
            lines.append(f"- {kp_id} “{kp.label}” ({_stakeholders(kp.n_stakeholders)})")
    for kp_id, kp in after.items():
        was = before.get(kp_id)
        if was is None:
            lines.append(f"+ {kp_id} “{kp.label}” ({_stakeholders(kp.n_stakeholders)})")
            continue
        if was.label != kp.label:
            lines.append(f"~ {kp_id} label: “{was.label}” → “{kp.label}”")
        gone, came = set(was.point_ids) - set(kp.point_ids), set(kp.point_ids) - set(was.point_ids)
        if gone or came:
            lines.append(f"~ {kp_id} points: {_ids('+', came)}{' ' if gone and came else ''}{_ids('-', gone)}; "
                         f"stakeholders {was.n_stakeholders} → {kp.n_stakeholders}")
        if was.note != kp.note:
            lines.append(f"~ {kp_id} note: {kp.note or '(none)'}")
    lines += _listed("convergence", [c.key_point for c in a.convergence], [c.key_point for c in b.convergence],
                     {c.key_point: c.label for c in [*a.convergence, *b.convergence]})
    lines += _listed("divergence", [d.id or d.label for d in a.divergence], [d.id or d.label for d in b.divergence],
                     {(d.id or d.label): d.label for d in [*a.divergence, *b.divergence]})
    return lines


def _listed(name: str, a: list[str], b: list[str], labels: dict[str, str]) -> list[str]:
    lines = [f"- {name} {i} “{labels[i]}”" for i in a if i not in b]
    lines += [f"+ {name} {i} “{labels[i]}”" for i in b if i not in a]
    kept_a, kept_b = [i for i in a if i in b], [i for i in b if i in a]
    if kept_a != kept_b:
        lines.append(f"~ {name} order: {', '.join(kept_a)} → {', '.join(kept_b)}")
    return lines


def _ids(sign: str, ids: set[str]) -> str:
    shown = sorted(ids)
    return " ".join(sign + i for i in shown[:8]) + (f" (+{len(shown) - 8} more)" if len(shown) > 8 else "")


def _stakeholders(n: int) -> str:
    return f"{n} stakeholder{'s' if n != 1 else ''}"
