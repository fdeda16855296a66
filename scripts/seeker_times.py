#!/usr/bin/env python3
"""Compares two builds seeker by seeker, from `bench --seeker-times` files
written over the same seekers (docs/performance.md uses it):

    jobmatch bench --index IDX --vacancies-file V --seekers-file S \\
        --seekers 1000 --seeker-times new.jsonl
    python3 scripts/seeker_times.py old.jsonl new.jsonl [old.jsonl new.jsonl ...]

Given several pairs (runs alternately), each seeker's time is its median
over the runs of a build. Prints the totals (time, docs met on the
essential lists, columns read, vacancies scored), the same by the number
of skills a seeker gave, and the seekers whose time grew most.
"""
import json
import statistics
import sys
from collections import defaultdict


def load(path):
    with open(path, encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, f)}


def merged(paths):
    """Per seeker: the first run's record with the median time of all."""
    runs = [load(p) for p in paths]
    out = {}
    for sid, r in runs[0].items():
        times = [run[sid]["ms"] for run in runs if sid in run]
        out[sid] = dict(r, ms=statistics.median(times))
    return out


def main(argv):
    if len(argv) < 2 or len(argv) % 2:
        sys.exit(__doc__)
    old, new = merged(argv[0::2]), merged(argv[1::2])
    ids = [i for i in old if i in new]
    if not ids:
        sys.exit("no seeker in both files")

    def total(d, key, among=ids):
        return sum(d[i][key] for i in among)

    print(f"{len(ids)} seekers; old → new (new/old)")
    for key in ["ms", "postings", "columns_read", "scored"]:
        a, b = total(old, key), total(new, key)
        print(f"  {key:>12}: {a:,.1f} → {b:,.1f} (×{b / a:.2f})" if a else f"  {key}: 0 → {b}")
    groups = defaultdict(list)
    for i in ids:
        groups[min(old[i]["skills"], 9)].append(i)
    print("by skills given (9 = 9 or more): seekers, ms old → new (×), postings old → new (×)")
    for n in sorted(groups):
        g = groups[n]
        ta, tb = total(old, "ms", g), total(new, "ms", g)
        pa, pb = total(old, "postings", g), total(new, "postings", g)
        print(
            f"  {n}: {len(g):4}  {ta:8.1f} → {tb:8.1f} (×{tb / max(ta, 1e-9):.2f})"
            f"  {pa:9,} → {pb:9,} (×{pb / max(pa, 1):.2f})"
        )
    print("most slowed (ms old → new, postings old → new, skills):")
    for i in sorted(ids, key=lambda i: old[i]["ms"] - new[i]["ms"])[:10]:
        print(
            f"  {i}: {old[i]['ms']:.2f} → {new[i]['ms']:.2f}"
            f"  {old[i]['postings']:,} → {new[i]['postings']:,}  {new[i]['skills']}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
