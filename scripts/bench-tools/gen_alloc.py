#!/usr/bin/env python3
"""Chanjiao's own alloc-v1 instance generator (format: design/MATCHING.md §3).

Independent of ../shared/bench/gen_alloc.py so the solver is not tuned to one generator's quirks:
programs belong to specialty clusters, each demand draws eligible programs from one to three
clusters, and scores mix a program's overall quality with a pair-specific fit (so scores are
correlated, not uniform). --shape adds the degenerate cases the allocation must survive:

  clustered      the default described above
  equal          every score the same (maximal ties: countless optimal solutions)
  few-scores     scores from {0, 2500, 5000, 7500, 10000}
  zero-capacity  a third of the programs have 0 seats and a third of the demands 0 headcount
  demand-heavy   headcount far above the seats on offer
  supply-heavy   seats far above the headcount asked for
  isolated       a tenth of programs and demands have no arcs at all

Needs numpy. Writes to -o FILE or stdout.
"""
import argparse
import sys

import numpy as np

SHAPES = ["clustered", "equal", "few-scores", "zero-capacity", "demand-heavy", "supply-heavy", "isolated"]


def generate(programs, demands, degree, seed, shape):
    rng = np.random.default_rng(seed)
    clusters = max(1, programs // 20)
    cluster_of = rng.integers(0, clusters, programs)
    if shape == "isolated":
        # Programs in cluster -1 are never drawn.
        cluster_of[rng.random(programs) < 0.1] = -1
    order = np.argsort(cluster_of, kind="stable")
    sorted_clusters = cluster_of[order]
    starts = np.searchsorted(sorted_clusters, np.arange(clusters + 1))

    if shape == "demand-heavy":
        cap, head = rng.integers(0, 6, programs), rng.integers(30, 200, demands)
    elif shape == "supply-heavy":
        cap, head = rng.integers(100, 400, programs), rng.integers(0, 4, demands)
    else:
        cap, head = rng.integers(5, 80, programs), rng.integers(1, 25, demands)
    if shape == "zero-capacity":
        cap[rng.random(programs) < 1 / 3] = 0
        head[rng.random(demands) < 1 / 3] = 0

    quality = rng.normal(0.0, 1.0, programs)
    arcs_p, arcs_d = [], []
    silent = rng.random(demands) < (0.1 if shape == "isolated" else 0.0)
    picks = rng.integers(1, 4, demands)
    for d in range(demands):
        if silent[d]:
            continue
        chosen = np.unique(rng.integers(0, clusters, picks[d]))
        pool = np.concatenate([order[starts[c]:starts[c + 1]] for c in chosen])
        if pool.size == 0:
            continue
        if pool.size > degree:
            pool = rng.choice(pool, degree, replace=False)
        arcs_p.append(pool)
        arcs_d.append(np.full(pool.size, d))
    ap = np.concatenate(arcs_p) if arcs_p else np.zeros(0, dtype=np.int64)
    ad = np.concatenate(arcs_d) if arcs_d else np.zeros(0, dtype=np.int64)

    if shape == "equal":
        score = np.full(ap.size, 7000)
    elif shape == "few-scores":
        score = rng.choice(np.array([0, 2500, 5000, 7500, 10000]), ap.size)
    else:
        fit = rng.normal(0.0, 1.0, ap.size)
        score = np.clip(np.rint(5000 + 1500 * quality[ap] + 2000 * fit), 0, 10000).astype(np.int64)
    # Shuffle arc lines so they are grouped by neither side.
    perm = rng.permutation(ap.size)
    return cap, head, ap[perm], ad[perm], score[perm]


def write(out, cap, head, ap, ad, score):
    out.write(f"alloc-v1 {cap.size} {head.size} {ap.size}\n")
    if cap.size:
        out.write("\n".join(map(str, cap.tolist())) + "\n")
    if head.size:
        out.write("\n".join(map(str, head.tolist())) + "\n")
    chunk = 1 << 18
    for i in range(0, ap.size, chunk):
        rows = zip(ap[i:i + chunk].tolist(), ad[i:i + chunk].tolist(), score[i:i + chunk].tolist())
        out.write("".join(f"{p} {d} {s}\n" for p, d, s in rows))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--programs", type=int, default=1500)
    ap.add_argument("--demands", type=int, default=5000)
    ap.add_argument("--degree", type=int, default=40, help="eligible programs per demand, at most")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shape", choices=SHAPES, default="clustered")
    ap.add_argument("-o", "--out", default="-")
    a = ap.parse_args()
    data = generate(a.programs, a.demands, a.degree, a.seed, a.shape)
    if a.out == "-":
        write(sys.stdout, *data)
    else:
        with open(a.out, "w") as f:
            write(f, *data)


if __name__ == "__main__":
    main()
