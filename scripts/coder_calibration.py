#!/usr/bin/env python3
"""How well the title coder's confidences match the share it gets right:
the dev split's titles binned by the confidence of their first code, each
bin's mean confidence beside the share right at the occupation (or at the
label's own depth when it is coded to a group), as `classify --evaluate`
counts it.

    cargo build --release --example jobmatch
    python3 scripts/coder_calibration.py
"""
import csv, json, subprocess

rows = list(csv.DictReader(open("tests/data/job_titles_csco_dev.csv")))
out = subprocess.run(
    ["target/release/examples/jobmatch", "--quiet", "classify", "--top", "1"],
    input="\n".join(r["job_title"].replace("\n", " ") for r in rows) + "\n",
    capture_output=True, text=True, check=True,
).stdout.splitlines()


def depth(code):
    """1 for a major group … 4 for an occupation."""
    parts = code.split("-")
    return max([1] + [i + 1 for i, p in enumerate(parts) if p != "00"])


bins = {}
for r, line in zip(rows, out):
    codes = json.loads(line)["codes"]
    if not codes:
        continue
    first, label = codes[0], r["csco_code"]
    upto = min(4, depth(label))
    right = first["code"].split("-")[:upto] == label.split("-")[:upto]
    b = bins.setdefault(min(int(first["confidence"] * 10), 9), [0, 0, 0.0])
    b[0] += 1
    b[1] += right
    b[2] += first["confidence"]
print("| confidence | titles | mean confidence | right |")
print("| --- | ---: | ---: | ---: |")
for b in sorted(bins):
    n, k, s = bins[b]
    print(f"| {b / 10:.1f}–{(b + 1) / 10:.1f} | {n} | {s / n:.2f} | {100 * k / n:.0f}% |")
