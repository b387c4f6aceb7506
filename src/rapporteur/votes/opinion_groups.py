"""Opinion groups as Pol.is computes them (``math/src/polismath/math/{pca,clusters,conversation}.clj``).

Notation: participants ``p``, statements ``j``, vote ``v_pj`` ∈ {+1 agree, -1 disagree, 0 pass}
where ``p`` voted on ``j`` (``(p, j) ∈ V``). Our signs are Pol.is's export signs; Pol.is's internal
math uses agree = -1, which flips every coordinate and leaves every group unchanged.

1. **Rating matrix.** Columns are the statements with at least one vote (``n_cols`` of them).
   Moderated-out (and meta) statements are *zeroed*: every participant gets 0 there, voted or not
   (``zero-out-columns``).
2. **PCA.** Missing votes are replaced by the column mean ``μ_j = mean_{p:(p,j)∈V} v_pj``, so the
   centred matrix is sparse: ``X_pj = v_pj − μ_j`` for ``(p,j) ∈ V``, 0 elsewhere (and 0 in zeroed
   columns). The components ``c_1, c_2`` are the two leading eigenvectors of ``XᵀX`` (Pol.is: 100
   power iterations). Every participant with a vote is used, not only those clustered.
3. **Sparsity-aware projection** (``sparsity-aware-project-ptpt``)::

       (x_p, y_p) = sqrt(n_cols / max(n_p, 1)) · Σ_{j:(p,j)∈V} X_pj · (c_1j, c_2j)

   where ``n_p`` counts the non-missing cells of the participant's rating-matrix row: their votes
   on kept statements **plus every zeroed column** (Pol.is fills those with 0 for everyone).
4. **In conversation** (``in-conv``): participants with at least ``min(7, n_cols)`` votes (raw
   votes, moderated statements included); if fewer than 15 qualify, the top voters are added up to
   15 (ties in row order, below).

   **Row order.** Pol.is's rating matrix gets its rows in the order its vote query returns them,
   ``ORDER BY tid, pid``: participants sorted by the first statement they voted on (in statement
   order), then by participant order. The exported ``participants-votes.csv`` has exactly this row
   order. Pol.is's k-means starts from the first distinct points *in this order*, so we use it too.
5. **Base clusters**: k-means with k = 100 on the in-conversation projections (at most 100
   iterations). **Groups**: weighted k-means (weights = base-cluster sizes, at most 20 iterations —
   Pol.is passes ``:cluster-iters``, which its ``kmeans`` ignores in favour of its default 20) on the
   base-cluster centres for k = 2 … ``min(5, 2 + ⌊n_base / 12⌋)``; the k with the largest
   silhouette (computed on the base-cluster centres, unweighted) wins; a tie goes to the smaller k.

   Pol.is's k-means (``clusters.clj``) starts from the **first k distinct points in row order**,
   assigns each point to its nearest centre, drops empty clusters, moves each centre to the
   (weighted) mean of its members, and stops when no centre moves by 0.01 or more. Pol.is runs it
   incrementally (each update starts from the previous clusters, and a new k must win four updates
   in a row); we run it once on the final votes, so groups match Pol.is's where the structure is
   clear and may differ where it is not (see ``benchmarks/votes_parity.py``).

   **Restarts** (``restarts=10`` by default; ``restarts=0`` is Pol.is's k-means alone). A
   first-distinct start can be a poor local optimum (two starting centres inside one group, so two
   real groups are merged in one): on generated conversations with 3–5 latent groups Pol.is's start
   misses a group at the true k in about half the runs. The groups step therefore also runs ``r``
   seeded weighted k-means++ starts and takes the best of them **only if** it lowers the weighted
   within-group sum of squares ``Σ_b w_b ‖c_b − m_{g(b)}‖²`` by more than ``restart_gain`` (25 %)
   below Pol.is's own solution; otherwise Pol.is's clustering stands. The gain separates the two
   cases cleanly (``benchmarks/votes_scale.py``, ``benchmarks/votes_parity.py``): where Pol.is's
   start merged two generated groups the best restart removes 31–62 % of the within-group sum of
   squares (12 generated conversations, 3–5 groups, seeds 1–4, and the 50k × 2k one), while on the
   19 openData conversations the restarts that would change Pol.is's chosen k gain at most 20 %
   (vtaiwan.uberx at k = 4: 19.8 %, which at the old 10 % rule turned its 2 groups into 4).

Scale: above 100,000 in-conversation participants (Pol.is's own ``max-ptpts``) the base clusters
are fitted on a seeded random sample of 100,000 of them (kept in row order) and every
participant is then assigned to its nearest base centre. The PCA uses an exact eigensolver on small
matrices and a seeded block subspace iteration (float32 products, 2 threads) on large ones.

**Statement projection and extremity** (``pca-project-cmnts``): a virtual participant who agrees
with statement ``j`` only is projected the same way:
``s_j = sqrt(n_cols) · (1 − μ_j) · (c_1j, c_2j)``, and the statement's *extremity* (Pol.is's
divisiveness measure) is ``‖s_j‖``.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from rapporteur.votes.conversation import Conversation

BASE_K = 100
MAX_GROUPS = 5
MIN_VOTES = 7
GREEDY_N = 15
BASE_ITERS = 100
GROUP_ITERS = 20
MAX_BASE_SAMPLE = 100_000
MOVE_TOLERANCE = 0.01
RESTARTS = 10
RESTART_GAIN = 0.25


@dataclass
class PCA:
    center: np.ndarray  # μ_j per statement (0 where unvoted or zeroed)
    components: np.ndarray  # (2, n_statements)
    eigenvalues: np.ndarray  # (2,) of XᵀX
    n_columns: int  # statements with at least one vote (Pol.is's rating-matrix columns)
    n_zeroed: int  # of which moderated out (zeroed)
    solver: str
    iterations: int = 0


@dataclass
class OpinionGroups:
    x: np.ndarray  # per participant; NaN without votes
    y: np.ndarray
    in_conversation: np.ndarray  # bool per participant
    group: np.ndarray  # int per participant, -1 when not clustered
    n_groups: int
    base_cluster: np.ndarray  # int per participant, -1 when not clustered
    base_centers: np.ndarray  # (n_base, 2)
    base_weights: np.ndarray  # (n_base,)
    base_groups: np.ndarray  # group of each base cluster
    group_centers: np.ndarray  # (n_groups, 2), weighted mean of base centres
    silhouettes: dict[int, float]
    pca: PCA
    statement_xy: np.ndarray  # (n_statements, 2)
    extremity: np.ndarray  # (n_statements,)
    too_small: str | None = None  # why no groups were formed
    base_sample: int | None = None  # sample size when base clusters were fitted on a sample
    parameters: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------------- PCA
def centred_matrix(conv: Conversation, dtype=np.float32) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """``X`` (sparse, centred, zeroed columns dropped), ``μ`` and the voted-columns mask."""
    m = conv.n_statements
    counts = conv.votes_per_statement
    sums = np.bincount(conv.indices, weights=conv.values, minlength=m)
    voted = counts > 0
    mu = np.zeros(m)
    mu[voted] = sums[voted] / counts[voted]
    mu[conv.moderated_out] = 0.0
    data = conv.values.astype(dtype) - mu.astype(dtype)[conv.indices]
    data[conv.moderated_out[conv.indices]] = 0
    indptr = conv.indptr.astype(np.int32) if conv.n_votes < 2**31 - 1 else conv.indptr
    X = sp.csr_matrix((data, conv.indices, indptr), shape=(conv.n_participants, m))
    return X, mu, voted


def _split_rows(X: sp.csr_matrix, parts: int) -> list[sp.csr_matrix]:
    """Row blocks of ``X`` with about equal numbers of votes, as views (no copy of the votes)."""
    cuts = np.searchsorted(X.indptr, np.linspace(0, X.nnz, parts + 1)[1:-1])
    bounds = [0, *cuts.tolist(), X.shape[0]]
    blocks = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        if b > a:
            s, e = X.indptr[a], X.indptr[b]
            blocks.append(sp.csr_matrix((X.data[s:e], X.indices[s:e], X.indptr[a : b + 1] - s), shape=(b - a, X.shape[1])))
    return blocks


def leading_components(X: sp.csr_matrix, k: int = 2, seed: int = 0, max_iter: int = 100, tol: float = 1e-6):
    """Top-``k`` eigenvectors of ``XᵀX``: exact on small matrices, subspace iteration on large ones.

    Subspace iteration (block power method, Pol.is's power iteration generalised to a block with
    oversampling): ``Q ← orth(Xᵀ X Q)`` from a seeded Gaussian start, with a Rayleigh–Ritz step each
    iteration; it stops when the leading Ritz values change by less than ``tol`` (relative).
    Returns ``(components (k, m), eigenvalues (k,), solver, iterations)``.
    """
    n, m = X.shape
    kk = min(k, m, n)
    small = m <= 1200 and X.nnz <= 3_000_000
    if small:
        from scipy.linalg import eigh

        G = (X.T @ X).toarray().astype(np.float64)
        w, V = eigh(G, subset_by_index=[m - kk, m - 1])  # only the kk largest
        order = np.argsort(w)[::-1][:kk]
        comps = V[:, order].T
        vals = np.maximum(w[order], 0)
        solver, iters = "eigh", 0
    else:
        b = min(m, kk + 6)
        rng = np.random.default_rng(seed)
        Q = np.linalg.qr(rng.standard_normal((m, b)))[0].astype(np.float32)
        parts = _split_rows(X, 2) if X.nnz > 2_000_000 else [X]
        pool = ThreadPoolExecutor(len(parts)) if len(parts) > 1 else None

        def gram(Q32):
            if pool is None:
                return np.asarray(X.T @ (X @ Q32), dtype=np.float64)
            outs = pool.map(lambda A: A.T @ (A @ Q32), parts)
            return np.asarray(sum(outs), dtype=np.float64)

        prev = None
        iters = 0
        try:
            for iters in range(1, max_iter + 2):
                Z = gram(Q)
                H = Q.astype(np.float64).T @ Z  # Rayleigh quotient of the current block
                w = np.linalg.eigvalsh((H + H.T) / 2)[::-1]
                done = iters >= 3 and prev is not None and np.all(np.abs(w[:kk] - prev) <= tol * max(abs(w[0]), 1e-30))
                if done or iters > max_iter:
                    break
                prev = w[:kk]
                Q = np.linalg.qr(Z)[0].astype(np.float32)
            Qd = Q.astype(np.float64)  # Ritz vectors below are those of this block
        finally:
            if pool is not None:
                pool.shutdown()
        w, V = np.linalg.eigh((H + H.T) / 2)
        order = np.argsort(w)[::-1][:kk]
        comps = (Qd @ V[:, order]).T
        comps /= np.linalg.norm(comps, axis=1, keepdims=True)
        vals = np.maximum(w[order], 0)
        solver = "subspace-iteration"
    if kk < k:
        comps = np.vstack([comps, np.zeros((k - kk, m))])
        vals = np.concatenate([vals, np.zeros(k - kk)])
    # a deterministic sign: the largest-magnitude loading of each component is positive
    for i in range(k):
        j = int(np.argmax(np.abs(comps[i]))) if comps[i].any() else 0
        if comps[i, j] < 0:
            comps[i] = -comps[i]
    return comps, vals, solver, iters


def fit_pca(conv: Conversation, seed: int = 0) -> tuple[PCA, sp.csr_matrix]:
    X, mu, voted = centred_matrix(conv)
    comps, vals, solver, iters = leading_components(X, 2, seed=seed)
    comps[:, ~voted | conv.moderated_out] = 0.0
    pca = PCA(
        center=mu,
        components=comps,
        eigenvalues=vals,
        n_columns=int(voted.sum()),
        n_zeroed=int((voted & conv.moderated_out).sum()),
        solver=solver,
        iterations=iters,
    )
    return pca, X


def project_participants(conv: Conversation, X: sp.csr_matrix, pca: PCA) -> np.ndarray:
    """Sparsity-aware projection (formula in the module docstring); NaN for participants without votes."""
    raw = np.asarray(X @ pca.components.T.astype(X.dtype), dtype=np.float64)
    kept_votes = np.diff(X.indptr) - np.bincount(
        conv.entry_rows[conv.moderated_out[conv.indices]], minlength=conv.n_participants
    )
    n_p = kept_votes + pca.n_zeroed
    scale = np.sqrt(pca.n_columns / np.maximum(n_p, 1))
    xy = raw * scale[:, None]
    xy[conv.votes_per_participant == 0] = np.nan
    return xy


def project_statements(pca: PCA) -> tuple[np.ndarray, np.ndarray]:
    """``s_j = sqrt(n_cols)·(1 − μ_j)·(c_1j, c_2j)`` and its length, the extremity."""
    xy = (np.sqrt(pca.n_columns) * (1.0 - pca.center))[:, None] * pca.components.T
    return xy, np.linalg.norm(xy, axis=1)


# ---------------------------------------------------------------------------- participants in
def row_order(conv: Conversation) -> np.ndarray:
    """Pol.is's rating-matrix row order: by first statement voted on, then participant index.

    Participants without votes come last.
    """
    counts = conv.votes_per_participant
    first = np.full(conv.n_participants, conv.n_statements, dtype=np.int64)
    rows = np.flatnonzero(counts > 0)
    if len(rows):
        first[rows] = np.minimum.reduceat(conv.indices, conv.indptr[rows])
    return np.lexsort((np.arange(conv.n_participants), first))


def in_conversation(
    conv: Conversation, n_columns: int, order: np.ndarray, min_votes: int = MIN_VOTES, greedy_n: int = GREEDY_N
) -> np.ndarray:
    """``count_p ≥ min(min_votes, n_cols)``; below ``greedy_n`` such, the top voters up to ``greedy_n``."""
    counts = conv.votes_per_participant
    inside = counts >= min(min_votes, n_columns)
    inside &= counts > 0
    short = greedy_n - int(inside.sum())
    if short > 0:
        rest = order[~inside[order] & (counts[order] > 0)]
        top = rest[np.argsort(-counts[rest], kind="stable")][:short]
        inside[top] = True
    return inside


# ------------------------------------------------------------------------------------ k-means
def nearest(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Index of the nearest centre of each point (exact Euclidean, k-d tree over the centres)."""
    from scipy.spatial import cKDTree

    if len(points) == 0:
        return np.zeros(0, dtype=np.int64)
    _, idx = cKDTree(centers).query(points, k=1, workers=2 if len(points) > 50_000 else 1)
    return np.asarray(idx, dtype=np.int64)


def first_distinct(points: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` distinct rows of ``points``, in order (Pol.is's ``init-clusters``)."""
    found: list[int] = []
    seen: set[tuple] = set()
    start = 0
    step = max(4 * k, 256)
    while len(found) < k and start < len(points):
        block = points[start : start + step]
        for i, row in enumerate(map(tuple, block)):
            if row not in seen:
                seen.add(row)
                found.append(start + i)
                if len(found) == k:
                    break
        start += step
    return points[found]


def polis_kmeans(
    points: np.ndarray,
    k: int,
    weights: np.ndarray | None = None,
    max_iters: int = GROUP_ITERS,
    init: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Pol.is's k-means: returns ``(labels 0..k'-1, centres (k', 2))`` with ``k' ≤ k``.

    Start: the first ``k`` distinct points (or ``init``). Step: assign to the nearest centre; drop
    clusters left empty; centre = weighted mean of members ``Σ w_i x_i / Σ w_i``. Stop after
    ``max_iters + 1`` steps or when every centre moved by less than 0.01.
    """
    points = np.asarray(points, dtype=np.float64)
    w = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=np.float64)
    centers = first_distinct(points, k) if init is None else np.asarray(init, dtype=np.float64)
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(max_iters + 1):
        labels = nearest(points, centers)
        used = np.unique(labels)
        total = np.bincount(labels, weights=w, minlength=len(centers))
        new = np.column_stack(
            [np.bincount(labels, weights=w * points[:, d], minlength=len(centers)) for d in range(points.shape[1])]
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            new = new / total[:, None]
        same = len(used) == len(centers) and np.all(np.linalg.norm(new - centers, axis=1) < MOVE_TOLERANCE)
        if len(used) < len(centers):
            remap = np.full(len(centers), -1)
            remap[used] = np.arange(len(used))
            labels = remap[labels]
        centers = new[used]
        if same:
            break
    return labels, centers


def within_ss(points: np.ndarray, weights: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> float:
    """Weighted within-group sum of squares ``Σ_i w_i ‖x_i − c_{g(i)}‖²`` (the k-means objective)."""
    return float((weights * ((points - centers[labels]) ** 2).sum(1)).sum())


def kmeans_plus_plus(points: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Weighted k-means++ seeding: each next centre drawn with probability ∝ ``w_i·d_i²``."""
    chosen = [int(rng.choice(len(points), p=weights / weights.sum()))]
    d2 = ((points - points[chosen[0]]) ** 2).sum(1)
    for _ in range(k - 1):
        p = weights * d2
        if p.sum() <= 0:
            break
        chosen.append(int(rng.choice(len(points), p=p / p.sum())))
        d2 = np.minimum(d2, ((points - points[chosen[-1]]) ** 2).sum(1))
    return points[chosen]


def group_kmeans(
    centers: np.ndarray, weights: np.ndarray, k: int, rng: np.random.Generator, restarts: int, gain: float
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Pol.is's group k-means, replaced by a seeded restart only when Pol.is's start is clearly poor.

    Pol.is's first-distinct start is kept unless one of ``restarts`` weighted k-means++ starts
    reaches a within-group sum of squares lower by more than ``gain`` (relative). Returns
    ``(labels, centres, restarted)``.
    """
    labels, gcenters = polis_kmeans(centers, k, weights=weights, max_iters=GROUP_ITERS)
    base_ss = within_ss(centers, weights, labels, gcenters)
    best = None
    for _ in range(restarts):
        init = kmeans_plus_plus(centers, weights, k, rng)
        cand = polis_kmeans(centers, k, weights=weights, max_iters=GROUP_ITERS, init=init)
        ss = within_ss(centers, weights, *cand)
        if len(cand[1]) >= 2 and (best is None or ss < best[0]):
            best = (ss, cand)
    if best is not None and best[0] < (1.0 - gain) * base_ss:
        return best[1][0], best[1][1], True
    return labels, gcenters, False


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette ``s_i = (b_i − a_i) / max(a_i, b_i)``; ``s_i = 0`` for a singleton cluster.

    ``a_i``: mean distance to the other members of its cluster; ``b_i``: smallest mean distance to
    the members of another cluster (Pol.is ``clusters/silhouette``, equal to scikit-learn's).
    """
    labels = np.asarray(labels)
    ks = np.unique(labels)
    if len(ks) < 2:
        return float("nan")
    onehot = (labels[:, None] == ks[None, :]).astype(np.float64)
    sizes = onehot.sum(0)
    sums = distances @ onehot  # (n, k): total distance to each cluster
    own = np.searchsorted(ks, labels)
    own_size = sizes[own]
    a = sums[np.arange(len(labels)), own] / np.maximum(own_size - 1, 1)
    mean_other = sums / sizes[None, :]
    mean_other[np.arange(len(labels)), own] = np.inf
    b = mean_other.min(1)
    denom = np.maximum(a, b)
    s = np.where((own_size > 1) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1), 0.0)
    return float(s.mean())


# ------------------------------------------------------------------------------------ pipeline
def opinion_groups(
    conv: Conversation,
    seed: int = 0,
    base_k: int = BASE_K,
    max_groups: int = MAX_GROUPS,
    min_votes: int = MIN_VOTES,
    max_base_sample: int = MAX_BASE_SAMPLE,
    restarts: int = RESTARTS,
    restart_gain: float = RESTART_GAIN,
) -> OpinionGroups:
    """Pol.is's opinion groups for ``conv`` (see the module docstring for every formula)."""
    pca, X = fit_pca(conv, seed=seed)
    xy = project_participants(conv, X, pca)
    del X
    st_xy, extremity = project_statements(pca)
    order = row_order(conv)
    inside = in_conversation(conv, pca.n_columns, order, min_votes=min_votes)
    n = conv.n_participants
    group = np.full(n, -1, dtype=np.int64)
    base = np.full(n, -1, dtype=np.int64)
    members = order[inside[order]]  # in Pol.is row order
    pts = xy[members]
    empty = dict(
        base_centers=np.zeros((0, 2)),
        base_weights=np.zeros(0, dtype=np.int64),
        base_groups=np.zeros(0, dtype=np.int64),
        group_centers=np.zeros((0, 2)),
    )
    params = dict(base_k=base_k, max_groups=max_groups, min_votes=min_votes, seed=seed, restarts=restarts, restart_gain=restart_gain)
    common = dict(x=xy[:, 0], y=xy[:, 1], in_conversation=inside, pca=pca, statement_xy=st_xy, extremity=extremity, parameters=params)
    distinct = len(first_distinct(pts, 3))
    if distinct < 3:
        reason = (
            f"too small to cluster: {len(members)} participants with enough votes, at fewer than 3 "
            "distinct positions; opinion groups need at least 3"
        )
        return OpinionGroups(group=group, n_groups=0, base_cluster=base, silhouettes={}, too_small=reason, **empty, **common)

    sample = None
    if len(members) > max_base_sample:
        rng = np.random.default_rng(seed)
        sample = np.sort(rng.choice(len(members), size=max_base_sample, replace=False))
        _, centers = polis_kmeans(pts[sample], base_k, max_iters=BASE_ITERS)
        labels = nearest(pts, centers)
        used = np.unique(labels)
        remap = np.full(len(centers), -1)
        remap[used] = np.arange(len(used))
        labels, centers = remap[labels], centers[used]
    else:
        labels, centers = polis_kmeans(pts, base_k, max_iters=BASE_ITERS)
    weights = np.bincount(labels, minlength=len(centers))
    base[members] = labels

    if len(first_distinct(centers, 3)) < 3:
        reason = f"too small to cluster: only {len(centers)} distinct base-cluster positions"
        return OpinionGroups(
            group=group, n_groups=0, base_cluster=base, silhouettes={}, too_small=reason, base_sample=None if sample is None else len(sample),
            **{**empty, "base_centers": centers, "base_weights": weights}, **common,
        )
    diff = centers[:, None, :] - centers[None, :, :]
    dist = np.sqrt((diff**2).sum(-1))
    max_k = min(max_groups, 2 + len(centers) // 12)
    silhouettes: dict[int, float] = {}
    best: tuple[float, int, np.ndarray, np.ndarray] | None = None
    rng = np.random.default_rng(seed)
    restarted: dict[int, bool] = {}
    for k in range(2, max_k + 1):
        glabels, gcenters, restarted[k] = group_kmeans(centers, weights, k, rng, restarts, restart_gain)
        if len(gcenters) < 2:
            continue
        s = silhouette(dist, glabels)
        silhouettes[k] = s
        if best is None or s > best[0]:
            best = (s, k, glabels, gcenters)
    assert best is not None
    _, k, base_groups, gcenters = best
    params["restarted"] = restarted[k]
    group[members] = base_groups[labels]
    return OpinionGroups(
        group=group,
        n_groups=len(gcenters),
        base_cluster=base,
        base_centers=centers,
        base_weights=weights,
        base_groups=base_groups,
        group_centers=gcenters,
        silhouettes=silhouettes,
        base_sample=None if sample is None else len(sample),
        **common,
    )
