#!/usr/bin/env bash
# Regenerates docs/learning-figures.md: signal weights fitted to the outcome
# log of a simulated job fair (simulate --log → fit-weights), with held-out
# nDCG@10 before and after.
#
#   scripts/learn_figures.sh [VACANCIES] [SEEKERS]
#
# Defaults: 100,000 vacancies and 40,000 seekers (seed 7), under
# target/figures/. The seekers apply in their own order, which by default
# weighs salary and location twice as much as the ranking does (an
# assumption of the simulation): the fit should move towards it. Fitting
# the simulator's own log shows the mechanism, not real-world quality.
set -euo pipefail
cd "$(dirname "$0")/.."
vacancies=${1:-100000}
seekers=${2:-40000}
dir=target/figures/learn-$vacancies-$seekers
mkdir -p "$dir"
cargo build --release --example jobmatch -q
jm=target/release/examples/jobmatch
[ -f "$dir/m/vacancies.jsonl" ] || $jm --quiet generate --vacancies "$vacancies" --seekers "$seekers" --seed 7 --out "$dir/m" > /dev/null
$jm --quiet simulate --vacancies-file "$dir/m/vacancies.jsonl" --seekers-file "$dir/m/seekers.jsonl" --index "$dir/idx" \
  --top 20 --log "$dir/log.jsonl" --json > "$dir/simulate.json"
$jm --quiet fit-weights --index "$dir/idx" --seekers "$dir/m/seekers.jsonl" --log "$dir/log.jsonl" \
  --output "$dir/fitted.json" --json > "$dir/fit.json"
python3 - "$dir/fit.json" "$dir/log.jsonl" "$vacancies" "$seekers" > docs/learning-figures.md <<'PY'
import json, os, platform, sys, datetime, collections
fit = json.load(open(sys.argv[1]))
outcomes = collections.Counter(json.loads(l)['outcome'] for l in open(sys.argv[2]))
n, s = int(sys.argv[3]), int(sys.argv[4])
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
version = next(l.split('"')[1] for l in open('Cargo.toml') if l.startswith('version'))
before = fit['weights_before']; total = sum(before.values())
rows = '\n'.join(f"| {k} | {before[k] / total:.3f} | {v:.3f} |" for k, v in fit['weights'].items())
print(f"""# Weights learned from outcomes: figures

Written by `scripts/learn_figures.sh` (do not edit by hand): jobmatch
{version}, {os.cpu_count()} cores ({cpu}), {datetime.date.today()}.

```sh
scripts/learn_figures.sh {n} {s}
```

A generated market of {n:,} vacancies and {s:,} seekers (seed 7); a job
fair in which each seeker is shown its top 10 and applies in its own order
(salary and location weighing twice what the ranking gives them: the
simulation's assumption). The log: {outcomes['shown']:,} shown,
{outcomes['applied']:,} applied, {outcomes['hired']:,} hired.
**This shows the mechanism, not real-world quality:** the log is the
simulator's own.

| | before | fitted |
| --- | ---: | ---: |
| nDCG@10 of {fit['after']['seekers']:,} held-out seekers' logged vacancies | {fit['before']['ndcg']:.3f} | {fit['after']['ndcg']:.3f} |
| the same on the training seekers | {fit['train_before']:.3f} | {fit['train_after']:.3f} |

{fit['pairs']:,} pairs of different outcomes; the fit took {fit['elapsed_s']:.1f} s
(signals of {fit['used']:,} logged pairs included).

| signal | weight before | fitted |
| --- | ---: | ---: |
{rows}
""")
PY
echo "wrote docs/learning-figures.md"
