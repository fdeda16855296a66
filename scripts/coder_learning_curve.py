#!/usr/bin/env python3
"""The title coder's learning curve: minor-group accuracy on the dev split
when the coder learns from a part of the train split (and, always, the
classification's names and aliases).

    cargo build --release --example jobmatch
    python3 scripts/coder_learning_curve.py [SEEDS]

Each size but the whole split is drawn SEEDS times (default 3): the train
titles ordered by the MD5 of seed and title, the first n kept, so every
draw is reproducible and unrelated to the kind of title; the whole split
is read in its own order. Prints one
Markdown row per size (medians over the draws) and the least-squares line
of top-1 against log2(n) over the sizes from 250 up, with the n at which
that line would reach 70%: an extrapolation, to be read as one.
"""
import csv, hashlib, json, math, os, statistics, subprocess, sys, tempfile

seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
binary = "target/release/examples/jobmatch"
train = list(csv.DictReader(open("data/job_titles_csco_train.csv")))
fields = list(train[0].keys())
sizes = [0, 250, 500, 1000, 1500, len(train)]


def evaluate(rows):
    """Trains on `rows` (the names and aliases always) and measures on dev."""
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
        path = f.name
    try:
        out = subprocess.run(
            [binary, "--quiet", "classify", "--train", path,
             "--evaluate", "tests/data/job_titles_csco_dev.csv"],
            capture_output=True, text=True, check=True,
        ).stdout
    finally:
        os.unlink(path)
    return json.loads(out)["accuracy"]


print("| train titles | draws | minor group top-1 | top-5 | occupation top-1 |")
print("| ---: | ---: | ---: | ---: | ---: |")
curve = []
for n in sizes:
    draws = 1 if n in (0, len(train)) else seeds
    results = []
    for seed in range(draws):
        order = sorted(
            train,
            key=lambda r: hashlib.md5(f"{seed}:{r['job_title']}".encode()).hexdigest(),
        )
        # The whole split in its own order: the row the docs quote (the
        # learner is order-dependent by a tenth of a point).
        results.append(evaluate(train if n == len(train) else order[:n]))
    top1 = statistics.median(r["minor_top1"] for r in results)
    top5 = statistics.median(r["minor_top5"] for r in results)
    occ = statistics.median(r["occupation_top1"] for r in results)
    print(f"| {n:,} | {draws} | {top1:.1%} | {top5:.1%} | {occ:.1%} |")
    if n >= 250:
        curve.append((math.log2(n), top1, top5))

for name, column in (("top-1", 1), ("top-5", 2)):
    xs = [c[0] for c in curve]
    ys = [c[column] for c in curve]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    aim = 0.70 if column == 1 else 0.90
    reach = 2 ** (mx + (aim - my) / slope) if slope > 0 else float("inf")
    print(
        f"\n{name}: {slope:+.1%} a doubling of the train titles; "
        f"the line reaches {aim:.0%} at about {reach:,.0f} titles (extrapolated)"
    )
