#!/usr/bin/env bash
# Regenerates docs/figures.md, the headline figures the README and
# docs/performance.md quote, from one run of the full-scale bench:
#
#   scripts/figures.sh [INDEX_DIR] [SEEKERS]
#
# INDEX_DIR (default target/figures/jm-1880k) holds the 1.88M-vacancy index
# of seed 2021; `bench` builds it there when missing (about a minute). The
# page's header names the machine, the date and the version, so a change
# that moves a figure shows in the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
index=${1:-target/figures/jm-1880k}
seekers=${2:-2000}
cargo build --release --example jobmatch -q
mkdir -p "$(dirname "$index")"
out=$(mktemp)
target/release/examples/jobmatch --quiet bench --index "$index" --seekers "$seekers" --json > "$out"
python3 - "$out" "$index" "$seekers" > docs/figures.md <<'PY'
import json, os, platform, subprocess, sys, datetime
d = json.load(open(sys.argv[1]))
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
version = next(l.split('"')[1] for l in open('Cargo.toml') if l.startswith('version'))
q, s, c = d['quality_all'], d['quality_skills_only'], d['quality_ceiling']
print(f"""# Headline figures

Written by `scripts/figures.sh` (do not edit by hand): jobmatch {version},
{os.cpu_count()} cores ({cpu}), {datetime.date.today()}; {d['vacancies']:,}
generated vacancies (seed 2021), {d['seekers']:,} generated seekers, top {d['top_k']}.
One run: the machine is shared, so quote ratios measured together.

```sh
scripts/figures.sh INDEX_DIR {sys.argv[3]}
```

| measure | figure |
| --- | --- |
| seekers whose top {d['top_k']} differ from the exhaustive scan | {d['topk_mismatches']} of {d['seekers']:,} |
| latency per seeker, one thread: p50 / p95 / p99 | {d['p50_ms']:.3f} / {d['p95_ms']:.2f} / {d['p99_ms']:.2f} ms |
| indexed search against the exhaustive scan, p50 | ×{d['speedup_vs_scan']:.0f} (scan p50 {d['scan_p50_ms']:.1f} ms) |
| throughput, 1 thread / {d['threads']} threads | {d['throughput_1t']:,.0f} / {d['throughput_all']:,.0f} seekers/s |
| index size on disk | {d['index_bytes'] / 1e6:,.0f} MB |
| building the index (bulk load, when the run built it) | {f"{d['build_s']:.0f} s" if d.get('build_s') is not None else "— (the index was reused: delete INDEX_DIR to measure it)"} |
| peak memory of the run | {d['peak_rss_bytes'] / 1e9:.2f} GB |
| reopen the index and serve the first query | {d['open_first_query_ms']:,.0f} ms |
| upsert 10,000 vacancies into the full index, with commit | {d['upsert_10k_s']:.2f} s |
| right kind of job, all seekers: precision@10 at occupation / minor group, nDCG@10 | {q['precision_at_10_occupation']:.3f} / {q['precision_at_10_minor_group']:.3f}, {q['ndcg_at_10']:.3f} |
| the same seekers giving only their skills | {s['precision_at_10_occupation']:.3f} / {s['precision_at_10_minor_group']:.3f}, {s['ndcg_at_10']:.3f} |
| the most the vacancies in each seeker's reach allow: precision@10 at occupation / minor group | {c['occupation']:.3f} / {c['minor_group']:.3f} |
| recall@10 / MRR of the vacancy each seeker was planted from | {d['recall_at_10']:.2f} / {d['mrr']:.2f} |
| share of recommendations crossing the Sichuan–Chongqing border | {d['cross_border_share']:.1%} |
| share of top-{d['top_k']} slots taken by the most recommended 1% of vacancies | {d['top1pct_share']:.1%} |
| share of vacancies never recommended ({d['seekers']:,} × {d['top_k']} slots) | {d['orphan_share']:.1%} |
""")
PY
rm -f "$out"
echo "wrote docs/figures.md"
