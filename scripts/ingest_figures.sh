#!/usr/bin/env bash
# Regenerates docs/ingest-figures.md, the figures docs/ingest.md and the
# README quote for raw input: each parser's field accuracy on the labelled
# corpus (tests/data/raw_postings.jsonl), and on one generated market built
# twice, from its clean records and from its free-text postings (generate
# --raw → ingest → index), the ingest's speed and the quality that survives.
#
#   scripts/ingest_figures.sh [VACANCIES] [SEEKERS]
#
# VACANCIES defaults to 300,000 (seed 31), SEEKERS to 2,000. The indexes are
# built under target/figures/ when missing. The page's header names the
# machine, the date and the version.
set -euo pipefail
cd "$(dirname "$0")/.."
vacancies=${1:-300000}
seekers=${2:-2000}
dir=target/figures
mkdir -p "$dir"
cargo build --release --example jobmatch -q
table=$(cargo test -q --test integration ingest::field_accuracy_on_the_labelled_corpus -- --nocapture 2>/dev/null | grep -E '^\||^skills:')
jm=target/release/examples/jobmatch
$jm --quiet bench --vacancies "$vacancies" --seekers "$seekers" --seed 31 --index "$dir/ingest-clean-$vacancies" --json > "$dir/ingest-clean.json"
$jm --quiet bench --vacancies "$vacancies" --seekers "$seekers" --seed 31 --index "$dir/ingest-raw-$vacancies" --raw --json > "$dir/ingest-raw.json"
python3 - "$dir/ingest-clean.json" "$dir/ingest-raw.json" "$vacancies" "$seekers" "$table" > docs/ingest-figures.md <<'PY'
import json, os, platform, sys, datetime
clean, raw = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
n, seekers, table = sys.argv[3], sys.argv[4], sys.argv[5]
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
version = next(l.split('"')[1] for l in open('Cargo.toml') if l.startswith('version'))
t = raw.get('ingest') or {}
def q(r, k): return r[k]['precision_at_10_minor_group']
print(f"""# Raw input: figures

Written by `scripts/ingest_figures.sh` (do not edit by hand): jobmatch
{version}, {os.cpu_count()} cores ({cpu}), {datetime.date.today()}.

```sh
scripts/ingest_figures.sh {n} {seekers}
```

## Field accuracy on the labelled corpus

{len(open('tests/data/raw_postings.jsonl').readlines())} postings of
`tests/data/raw_postings.jsonl` (22 prefecture-level areas, CSCO major
groups 1–6), each field against the value written beside it by hand.
An error names the text as written, what was read and what was expected.

{table}

## One market, clean and raw

{int(n):,} generated vacancies (seed 31) and {int(seekers):,} seekers,
indexed once from the clean records and once from the same market's
free-text postings; the seekers are the same clean records.

| measure | clean | raw |
| --- | ---: | ---: |
| right kind of job in the top 10 (minor group), all seekers | {q(clean, 'quality_all'):.3f} | {q(raw, 'quality_all'):.3f} |
| the same, skills-only seekers | {q(clean, 'quality_skills_only'):.3f} | {q(raw, 'quality_skills_only'):.3f} |
| recall@10 of the planted vacancy | {clean['recall_at_10']:.3f} | {raw['recall_at_10']:.3f} |
| seekers whose top {raw['top_k']} differ from the exhaustive scan | {clean['topk_mismatches']} | {raw['topk_mismatches']} |
| latency p50, one thread | {clean['p50_ms']:.3f} ms | {raw['p50_ms']:.3f} ms |

| ingest of the raw postings | figure |
| --- | --- |
| postings ingested (refused) | {t.get('postings', 0):,} ({t.get('refused', 0):,}) |
| ingest to clean JSON Lines (`jobmatch ingest`), {t.get('threads', 0)} threads | {t.get('ingest_s', 0):.1f} s, {t.get('postings_per_s', 0):,.0f} postings/s |
| `jobmatch index` of the clean file | {t.get('index_clean_s', 0):.1f} s |
| `jobmatch index --raw` of the raw postings (ingest and index in one) | {t.get('index_raw_s', 0):.1f} s |
""")
PY
echo "wrote docs/ingest-figures.md"
