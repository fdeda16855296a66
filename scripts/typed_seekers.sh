#!/usr/bin/env bash
# Skills-only seekers as people type them (soft phrases, licences in other
# spellings, a skill no vacancy asks for, a second trade), ranked on a
# generated market: how many of each top 10 are of the seeker's own trade
# (the CSCO minor group of the vacancy's occupation as the index holds it),
# and the skills signal of the first. Prints a Markdown table.
#
#   scripts/typed_seekers.sh [WORKDIR] [VACANCIES] [SEED] [JOBMATCH]
#
# WORKDIR (default target/typed) keeps the market and index between runs;
# JOBMATCH is the binary to measure (default: the release build of this
# checkout), so two builds can be compared on their own markets.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-target/typed}
n=${2:-300000}
seed=${3:-31}
bin=${4:-}
if [[ -z "$bin" ]]; then
  cargo build --release --example jobmatch -q
  bin=target/release/examples/jobmatch
fi
mkdir -p "$dir"
if [[ ! -d "$dir/index" ]]; then
  "$bin" --quiet generate --vacancies "$n" --seekers 10 --seed "$seed" --out "$dir/market" >/dev/null
  "$bin" --quiet index --input "$dir/market/vacancies.jsonl" --index "$dir/index" >/dev/null
fi
"$bin" --quiet match --index "$dir/index" --seekers scripts/typed_seekers.jsonl --top 10 --explain \
  --output "$dir/results.jsonl"
python3 scripts/typed_seekers.py "$dir/results.jsonl" scripts/typed_seekers_trades.json
