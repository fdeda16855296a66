#!/usr/bin/env python3
"""Tabulates `match --explain` results of scripts/typed_seekers.jsonl: per
seeker, how many of the top 10 vacancies are of each trade named in
typed_seekers_trades.json (CSCO minor-group prefixes, `|` between trades),
by the vacancy's occupation as the index holds it, and the skills signal of
the first match."""
import json, sys

results, trades = sys.argv[1], json.load(open(sys.argv[2], encoding='utf-8'))
print('| skills typed | own trade in the top 10 | skills signal of #1 |')
print('| --- | --- | --- |')
seekers = {json.loads(l)['id']: json.loads(l)['skills']
           for l in open('scripts/typed_seekers.jsonl', encoding='utf-8')}
for line in open(results, encoding='utf-8'):
    r = json.loads(line)
    matches = r['matches'][:10]
    def code(m):
        occ = (m.get('explain') or {}).get('vacancy_occupation') or {}
        return str(occ.get('code', ''))
    counts = []
    for minor in trades[r['seeker']].split('|'):
        counts.append(f"{sum(code(m).startswith(minor) for m in matches)} ({minor})")
    first = matches[0]['components']['skills'] if matches else 0.0
    print(f"| {', '.join(seekers[r['seeker']])} | {' + '.join(counts)} | {first:.3f} |")
