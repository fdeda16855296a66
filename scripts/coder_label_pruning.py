#!/usr/bin/env python3
"""Does the title coder gain from dropping train titles its own
cross-validation contradicts? (Confident learning: Northcutt et al.,
*Confident Learning: Estimating Uncertainty in Dataset Labels*, JAIR 2021.)

    cargo build --release --example jobmatch
    python3 scripts/coder_label_pruning.py

Codes each train title with a coder trained on the other four fifths of the
train split (folds by the MD5 of the title), then, for each rule and
confidence bar, drops the titles whose label the fold's coder contradicts
with at least that confidence (`top1`: its best code is of another minor
group; `top5`: none of its five codes is of the label's minor group),
retrains on what is left and measures on the dev split. The dev split is
only measured on, never trained on or pruned. Prints one Markdown row per
rule and bar.
"""
import csv, hashlib, json, os, subprocess, tempfile

binary = "target/release/examples/jobmatch"
dev = "tests/data/job_titles_csco_dev.csv"
train = list(csv.DictReader(open("data/job_titles_csco_train.csv")))
fields = list(train[0].keys())
FOLDS = 5


def written(rows):
    f = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
    writer = csv.DictWriter(f, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    f.close()
    return f.name


def run(args):
    return subprocess.run([binary, "--quiet", "classify", *args],
                          capture_output=True, text=True, check=True).stdout


def accuracy(rows):
    path = written(rows)
    try:
        return json.loads(run(["--train", path, "--evaluate", dev]))["accuracy"]
    finally:
        os.unlink(path)


def minor(code):
    return code[:7]


fold_of = [int(hashlib.md5(r["job_title"].encode()).hexdigest(), 16) % FOLDS for r in train]
coded = [None] * len(train)
for k in range(FOLDS):
    held = [i for i, f in enumerate(fold_of) if f == k]
    path = written([r for r, f in zip(train, fold_of) if f != k])
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as t:
        # One title per line: a title's own line breaks would shift the rest.
        t.write("".join(" ".join(train[i]["job_title"].split()) + "\n" for i in held))
    try:
        out = run(["--train", path, "--input", t.name, "--top", "5"]).splitlines()
    finally:
        os.unlink(path)
        os.unlink(t.name)
    assert len(out) == len(held), (len(out), len(held))
    for i, line in zip(held, out):
        coded[i] = json.loads(line)["codes"]


def contradicted(i, rule, bar):
    codes = coded[i]
    if not codes or codes[0]["confidence"] < bar:
        return False
    label = minor(train[i]["csco_code"])
    if rule == "top1":
        return minor(codes[0]["code"]) != label
    return all(minor(c["code"]) != label for c in codes)


def row(name, kept):
    a = accuracy(kept)
    print(f"| {name} | {len(kept):,} | {100 * a['minor_top1']:.1f}% | "
          f"{100 * a['minor_top5']:.1f}% | {100 * a['occupation_top1']:.1f}% |")


print("| dropped | train titles kept | minor group top-1 | top-5 | occupation top-1 |")
print("| --- | ---: | ---: | ---: | ---: |")
row("none", train)
for rule in ("top1", "top5"):
    for bar in (0.3, 0.4, 0.5, 0.6, 0.7):
        kept = [r for i, r in enumerate(train) if not contradicted(i, rule, bar)]
        row(f"{rule} contradicts, confidence ≥ {bar}", kept)
