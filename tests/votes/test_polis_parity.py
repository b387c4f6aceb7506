"""Parity with Pol.is on its own exports (../shared/data/polis-opendata).

Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under
CC BY 4.0 with Attribution to The Computational Democracy Project.
"""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from rapporteur.votes import analyse, group_informed_consensus, tally


def test_group_informed_consensus_with_polis_groups_equals_export(polis):
    """GIC computed with Pol.is's own group ids equals bg2050's exported column to 1e-9."""
    conv = polis("bg2050-volunteers")
    exported = conv.polis.group_informed_consensus
    assert len(exported) == conv.n_statements == 371
    labels = conv.polis.group_ids
    counts = tally(conv, labels, int(labels.max()) + 1)
    gic = group_informed_consensus(counts.agree, counts.seen)
    errors = [abs(gic[j] - exported[sid]) for j, sid in enumerate(conv.statement_ids)]
    assert max(errors) < 1e-9
    # and it is not trivially so: the values spread over the whole range
    assert min(exported.values()) < 0.05 and max(exported.values()) > 0.6


def test_group_informed_consensus_is_not_matched_by_wrong_groups(polis):
    """The parity test can fail: shuffled group ids do not reproduce the export."""
    conv = polis("bg2050-volunteers")
    labels = conv.polis.group_ids.copy()
    clustered = np.flatnonzero(labels >= 0)
    labels[clustered] = np.random.default_rng(0).permutation(labels[clustered])
    counts = tally(conv, labels, int(labels.max()) + 1)
    gic = group_informed_consensus(counts.agree, counts.seen)
    exported = conv.polis.group_informed_consensus
    assert max(abs(gic[j] - exported[sid]) for j, sid in enumerate(conv.statement_ids)) > 1e-3


@pytest.mark.parametrize("name", ["scoop-hivemind.biodiversity", "vtaiwan.uberx", "bg2050-volunteers"])
def test_opinion_groups_match_polis_group_id(polis, name):
    """Adjusted Rand index ≥ 0.9 against Pol.is's group-id, on the participants both cluster."""
    conv = polis(name)
    result = analyse(conv, seed=0)
    ours, theirs = result.opinion.group, conv.polis.group_ids
    both = (ours >= 0) & (theirs >= 0)
    # the same participants are clustered (Pol.is's in-conversation rule), give or take one or two
    assert (ours >= 0).sum() >= 0.99 * (theirs >= 0).sum()
    assert both.sum() >= 0.99 * (theirs >= 0).sum()
    assert result.n_groups == len(np.unique(theirs[theirs >= 0]))
    assert adjusted_rand_score(theirs[both], ours[both]) >= 0.9


def test_in_conversation_rule_matches_polis(polis):
    """Participants with min(7, statements) votes are clustered, the others are not."""
    conv = polis("vtaiwan.uberx")
    result = analyse(conv)
    clustered = result.opinion.group >= 0
    assert np.array_equal(clustered, conv.votes_per_participant >= 7)
    agree = (clustered == (conv.polis.group_ids >= 0)).mean()
    assert agree > 0.999


def test_results_are_deterministic(polis):
    conv = polis("scoop-hivemind.biodiversity")
    a, b = analyse(conv, seed=3), analyse(conv, seed=3)
    assert np.array_equal(a.opinion.group, b.opinion.group)
    np.testing.assert_array_equal(a.opinion.x, b.opinion.x)
