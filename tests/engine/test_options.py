"""Every threshold has one home (SynthesisOptions) and the README's rules quote its defaults."""
from __future__ import annotations

from dataclasses import fields, is_dataclass

from rapporteur.synthesis import SynthesisOptions
from tests.conftest import ROOT


def _leaves(obj, prefix=""):
    for f in fields(obj):
        value = getattr(obj, f.name)
        if is_dataclass(value):
            yield from _leaves(value, f"{prefix}{f.name}.")
        else:
            yield f"{prefix}{f.name}", value


def test_the_readme_quotes_the_defaults():
    o = SynthesisOptions()
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    quoted = [
        f"of {o.candidates.min_words}–{o.candidates.max_words} words",
        f"read against its {o.key_points.shortlist} nearest candidates",
        f"(≥ {o.key_points.match_threshold}: on its matter)",
        f"whether it argues for it (≥ {o.key_points.side_threshold})",
        f"selection stops below {o.key_points.min_stakeholders} stakeholders, or below {o.key_points.min_share:.0%} of all",
        f"read against the {o.key_points.reach} points nearest",
        f"within {o.key_points.vote_margin} of its best reading",
        f"the lowest {o.candidates.quality_drop:.0%} of a run's candidates by quality",
        f"stance < {o.agreement.rival_below}",
        f"\"makes\" is cosine ≥ {o.key_points.similarity:.2f}",
        f"raised by at least {o.agreement.min_stakeholders} stakeholders and {o.agreement.min_share:.0%} of all",
        f"from at least {o.agreement.min_regions} M49 regions",
        f"types ≥ {o.agreement.mixed_share:.0%} of speakers",
        f"least {o.agreement.opposing_share:.0%} of those against it" if o.agreement.opposing_share != 0.5
        else "least half of those against it",
        f"fewer than {o.agreement.unaddressed_share:.0%} of the stakeholders, and at most {o.agreement.unaddressed_max}",
        f"cosine ≥ {o.address_similarity} to its label and terms",
    ]
    missing = [q for q in quoted if q not in readme]
    assert not missing, f"README does not quote these defaults: {missing}"


def test_the_report_lists_every_setting(demo_dir, minilm):
    """The synthesis records every option (the report's settings list): nothing set elsewhere."""
    from rapporteur.ingest import read_path
    from rapporteur.synthesis import synthesize

    corpus = read_path(demo_dir)
    corpus.contributions = corpus.contributions[:6]
    s = synthesize(corpus, SynthesisOptions(learned=False), embedder=minilm)
    recorded = dict(_leaves_dict(s.settings["options"]))
    expected = {k: v for k, v in _leaves(SynthesisOptions(learned=False)) if k != "title"}
    assert recorded == expected


def _leaves_dict(d, prefix=""):
    for k, v in d.items():
        if isinstance(v, dict):
            yield from _leaves_dict(v, f"{prefix}{k}.")
        else:
            yield f"{prefix}{k}", v
