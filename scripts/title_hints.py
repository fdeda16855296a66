#!/usr/bin/env python3
"""How much a title the coder cannot code still helps: the dev split's
titles that code below the coder's bar (confidence < 0.3), each given to a
seeker with skills drawn from its labelled occupation's profile (3, then 1);
the occupation inferred with the title (its codes steer the inference) and
without it (skills alone), counted right at the label's minor and major
group.

    cargo build --release --example jobmatch
    python3 scripts/title_hints.py INDEX

INDEX is any index of the market (e.g. one `bench` built at full scale).
Draws are seeded; the seekers live in 九龙坡 (500107).
"""
import csv, json, random, subprocess, sys, tempfile

index = sys.argv[1]
binary = "target/release/examples/jobmatch"
profiles = {r["code"]: [s for s in r["skills"].split("|") if s]
            for r in csv.DictReader(open("data/occupation_skills.csv"))}
rows = [r for r in csv.DictReader(open("tests/data/job_titles_csco_dev.csv"))
        if r.get("code_in_csco2022", "True") == "True"]
out = subprocess.run([binary, "--quiet", "classify", "--top", "1"], check=True, capture_output=True,
                     text=True, input="\n".join(r["job_title"] for r in rows) + "\n").stdout
coded = [json.loads(line)["codes"] for line in out.splitlines()]


def parts(code):
    """The code's leading parts that are set (a group label drops its 00s)."""
    p = code.split("-")
    while p and p[-1] == "00":
        p.pop()
    return p


rng = random.Random(7)
cases = []
for r, codes in zip(rows, coded):
    if codes and codes[0]["confidence"] >= 0.3:
        continue
    gold = parts(r["csco_code"])
    held = sorted(c for c in profiles if c.split("-")[:len(gold)] == gold and profiles[c])
    if held:
        skills = profiles[rng.choice(held)]
        cases.append((r["job_title"], r["csco_code"], rng.sample(skills, min(3, len(skills)))))


def inferred(seekers):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as f:
        for s in seekers:
            f.write(json.dumps(s, ensure_ascii=False) + "\n")
        f.flush()
        out = subprocess.run([binary, "--quiet", "match", "--index", index, "--seekers", f.name, "--top", "1",
                              "--explain"], check=True, capture_output=True, text=True).stdout
    got = {}
    for line in out.splitlines():
        r = json.loads(line)
        i = r["matches"][0]["explain"].get("inferred_occupation") if r["matches"] else None
        got[r["seeker"]] = i["code"] if i else None
    return got


print(f"{len(cases)} dev titles below the coder's bar\n")
print("| skills given | title | right minor group | right major group | none inferred |")
print("| ---: | --- | ---: | ---: | ---: |")
draw = random.Random(11)
for n in (3, 1):
    skills = [s if n == 3 else [draw.choice(s)] for _, _, s in cases]
    for with_title in (False, True):
        seekers = [{"id": f"d{i}", "skills": sk, "region": "500107",
                    **({"titles": [title]} if with_title else {})}
                   for i, ((title, _, _), sk) in enumerate(zip(cases, skills))]
        got = inferred(seekers)
        minor = major = none = 0
        for i, (_, gold, _) in enumerate(cases):
            c = got.get(f"d{i}")
            if c is None:
                none += 1
                continue
            g = parts(gold)
            minor += c.split("-")[:min(3, len(g))] == g[:3]
            major += c.split("-")[:1] == g[:1]
        print(f"| {n} | {'given' if with_title else 'left out'} | {minor} | {major} | {none} |")
