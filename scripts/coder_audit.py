#!/usr/bin/env python3
"""Prints 100 of the title coder's minor-group errors on the dev split, for
checking the labels by hand (docs/coder-audit.md holds one such check).

    cargo build --release --example jobmatch
    python3 scripts/coder_audit.py [N]

The sample is the errors ordered by the MD5 of the title (deterministic,
unrelated to the error's kind); each row: the title, the label with its
occupation and minor group, the coder's first code likewise.
"""
import csv, hashlib, json, subprocess, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
occupations = {r["code"]: r["name"] for r in csv.DictReader(open("data/occupations.csv"))}
rows = list(csv.DictReader(open("tests/data/job_titles_csco_dev.csv")))
titles = "\n".join(r["job_title"] for r in rows) + "\n"
out = subprocess.run(
    ["target/release/examples/jobmatch", "--quiet", "classify", "--top", "1"],
    input=titles, capture_output=True, text=True, check=True,
).stdout
preds = [json.loads(l) for l in out.splitlines()]
def within(gold, pred):
    """Right at minor group, as `classify --evaluate` counts it: a label
    coded only to a middle or major group (2-02-00-00) takes any code in
    that group."""
    parts = [x for x in gold.split("-")[:3]]
    while parts and parts[-1] == "00":
        parts.pop()
    return pred.split("-")[: len(parts)] == parts


errors = []
kept = [(r, p) for r, p in zip(rows, preds) if r.get("code_in_csco2022", "True") == "True"]
for r, p in kept:
    gold = r["csco_code"]
    pred = p["codes"][0]["code"] if p["codes"] else ""
    if not within(gold, pred):
        errors.append((hashlib.md5(r["job_title"].encode()).hexdigest(), r["job_title"], gold, pred))
errors.sort()
name = lambda c: occupations.get(c, "?")
group = lambda c: occupations.get(c[:7] + "-00", "?")
print(f"{len(errors)} minor-group errors of {len(kept)} dev titles; the first {n} by MD5:")
for i, (_, title, gold, pred) in enumerate(errors[:n], 1):
    print(f"| {i} | {title} | {gold} {name(gold)} [{group(gold)}] | {pred} {name(pred)} [{group(pred)}] |")
