#!/usr/bin/env python3
"""Give every skill of the shipped vocabulary a kind, add the soft skills and
licences real seekers and employers type, and put each licence into the
profiles of the occupations that require it.

Run from the repository root after extract_skills.py (it rewrites
data/skills.csv and data/occupation_skills.csv in place, and running it
again changes nothing):
    python3 data/tools/assign_kinds.py

The kinds follow ESCO's skill reusability levels (ESCOpedia, "Skill
reusability level": transversal, cross-sector, sector-specific,
occupation-specific), plus licences and certificates, which in this market
are what employers ask for by name (C1驾照, 焊工证, 叉车证) and are the
strongest evidence of an occupation:

- licence: written by hand below (LICENCES): a licence or certificate a
  regulation or the usual posting asks of an occupation, with the
  occupations (CSCO 2022 codes) that require it and the skill it implies
  (a 焊工证 holder can weld). Basis: `hand: licence ...`.
- transversal: written by hand below (TRANSVERSAL): personal qualities and
  social skills, ESCO's "core", "soft" skills, relevant to nearly every
  occupation. Basis: `hand: soft skill`.
- every other skill from the occupations whose profiles hold it
  (data/occupation_skills.csv), like ESCO's levels by how widely a skill is
  applied: in at most OCCUPATION_MAX profiles, or in one minor group for at
  least half of them: `occupation`; else in one major group (a broad
  sector of work) for at least half: `sector`; else `cross_sector`. A skill
  in no profile is `occupation` (a keyword of a single definition). The
  basis names the counts.
"""
import collections, csv, os

SKILLS = os.path.join('data', 'skills.csv')
PROFILES = os.path.join('data', 'occupation_skills.csv')
OCCUPATION_MAX = 3
CONCENTRATED = 0.5

# Soft skills (name, English name, aliases).
TRANSVERSAL = [
    ("沟通能力", "Communication", "沟通|表达能力|沟通协调|善于沟通|沟通能力强|语言表达能力"),
    ("团队合作", "Teamwork", "团队协作|团队精神|团队合作精神|合作意识"),
    ("吃苦耐劳", "Hard-working", "能吃苦|肯吃苦|能吃苦耐劳|踏实肯干|勤劳肯干|不怕苦不怕累|勤奋"),
    ("责任心", "Sense of responsibility", "责任心强|有责任心|责任感|认真负责|工作认真负责|责任意识"),
    ("学习能力", "Willingness to learn", "学习能力强|好学|爱学习|上进心|求知欲"),
    ("抗压能力", "Stress tolerance", "抗压|抗压能力强|能承受压力|心理素质好"),
    ("执行力", "Getting things done", "执行力强|执行能力"),
    ("服从安排", "Follows instructions", "服从管理|服从分配|听从安排|服从工作安排|服从领导安排"),
    ("诚实守信", "Honesty", "诚实|诚信|为人诚实|诚实可靠|品行端正"),
    ("细心", "Attention to detail", "细致|认真细致|工作细心|仔细|严谨细致"),
    ("耐心", "Patience", "有耐心|耐心细致|耐心热情"),
    ("积极主动", "Proactivity", "积极|主动|积极性|工作积极主动|积极向上"),
    ("适应能力", "Adaptability", "适应能力强|适应性强|适应力"),
    ("动手能力", "Practical aptitude", "动手能力强|动手操作能力"),
    ("身体健康", "Good health", "身体好|身体素质好|体力好|体健"),
    ("时间观念", "Punctuality", "守时|时间观念强|准时"),
    ("服务意识", "Service attitude", "服务意识强|热情服务|服务态度好|热情"),
    ("组织协调", "Organising", "协调能力|组织能力|组织协调能力"),
]

# Licences and certificates: name, English name, aliases, implied skills
# (|), CSCO codes (or code prefixes ending in '-') of occupations whose
# postings ask for it. Driving licence classes follow the Ministry of Public
# Security's 准驾车型 (A1 covers B1, B2, C1; A2 covers B1, B2, C1; B1 and B2
# cover C1; C1 covers C2).
LICENCES = [
    ("A1驾照", "Driving licence A1 (large bus)", "A1驾驶证|A1证", "B1驾照|B2驾照|C1驾照|驾驶",
     "4-02-02-01"),
    ("A2驾照", "Driving licence A2 (tractor-trailer)", "A2驾驶证|A2证", "B1驾照|B2驾照|C1驾照|驾驶",
     "4-02-02-02"),
    ("B1驾照", "Driving licence B1 (medium bus)", "B1驾驶证|B1证", "C1驾照|驾驶", ""),
    ("B2驾照", "Driving licence B2 (large truck)", "B2驾驶证|B2证", "C1驾照|驾驶", "4-02-02-02"),
    ("C1驾照", "Driving licence C1 (car)", "C1驾驶证|C1证|小车驾照|驾照|驾驶证|机动车驾驶证", "C2驾照|驾驶",
     "4-02-02-01|4-02-02-02|4-02-02-07|4-02-02-09"),
    ("C2驾照", "Driving licence C2 (automatic car)", "C2驾驶证|C2证", "驾驶", ""),
    ("焊工证", "Welder's certificate", "焊工操作证|焊接操作证|特种作业操作证(焊工)|电焊证|焊工上岗证", "焊接",
     "6-18-02-04|6-18-03-04"),
    ("电工证", "Electrician's licence", "低压电工证|高压电工证|特种作业操作证(电工)|电工操作证|电工上岗证|电工作业证", "电工",
     ""),
    ("叉车证", "Forklift licence", "叉车操作证|叉车上岗证|特种设备作业人员证(叉车)|N1证|N1叉车证", "叉车",
     "6-30-05-01|4-02-05-01"),
    ("厨师证", "Chef's certificate", "厨师资格证|中式烹调师证|烹调师证", "烹饪",
     "4-03-02-01|4-03-02-03"),
    ("健康证", "Health certificate", "健康合格证|从业人员健康证", "",
     "4-03-02-01|4-03-02-02|4-03-02-03|4-03-02-04|4-03-02-05"),
    ("护士资格证", "Nurse's licence", "护士证|护士执业证|护士执业资格证|护资", "护理", "2-05-08-"),
    ("教师资格证", "Teacher's certificate", "教师证|教资|幼师证|幼师资格证|幼儿园教师资格证", "教学", "2-08-0"),
    ("保安员证", "Security guard's certificate", "保安证|保安上岗证", "安保", "4-07-05-01"),
    ("消防设施操作员证", "Fire facility operator's certificate", "消防证|消防操作员证|消防员证|消防上岗证", "消防",
     "4-07-05-03"),
    ("养老护理员证", "Elderly carer's certificate", "养老护理证", "养老护理", "4-10-01-05"),
    ("育婴师证", "Infant carer's certificate", "育婴员证|母婴护理证", "育婴", "4-10-01-01"),
    # Asked for by name in postings, in no occupation's profile (the
    # generated market is unchanged; real postings and seekers name them).
    ("建造师证", "Constructor's certificate", "建造师|一级建造师|二级建造师|建造师证书", "施工管理|项目管理", ""),
    ("挖掘机操作证", "Excavator operator's certificate", "挖掘机证|挖机证|挖掘机操作员证", "挖掘机", ""),
]

# Skills job boards name that no occupation's definition gave as a
# keyword (name, English name, aliases, kind): read from postings and typed
# by seekers, in no profile, so the generated market is unchanged; the kind
# by hand, as ESCO's levels would place it.
NAMED = [
    ("挖掘机", "Excavator operation", "挖机|挖掘机操作|挖掘机驾驶|开挖机", "occupation"),
    ("ERP", "ERP systems", "ERP系统|SAP系统", "cross_sector"),
]

# More job-board spellings of skills the vocabulary has (reading only).
SPELLINGS = [
    ("会计", "用友|金蝶|财务软件"),
    ("烹饪", "川菜|粤菜|湘菜|炒锅|掌勺"),
    ("建筑识图", "建筑图纸"),
    ("焊接", "气保焊|气体保护焊|CO2焊|CO2保护焊|二氧化碳保护焊"),
]

# Aliases that named a licence as if it were the skill, moved to the licence.
MOVED = {a for _, _, aliases, _, _ in LICENCES for a in aliases.split('|')} | {l[0] for l in LICENCES}
MOVED |= {"C1", "驾照"}


def read(path):
    with open(path, encoding='utf-8') as f:
        return list(csv.DictReader(f))


def add_skill(by_name, name, en, aliases):
    """The row of a hand-written skill, created when missing, with its
    aliases merged in and an English name when it has none."""
    row = by_name.setdefault(name, {'name': name, 'name_en': en, 'aliases': ''})
    have = [a for a in row['aliases'].split('|') if a]
    row['aliases'] = '|'.join(have + [a for a in aliases.split('|') if a not in have])
    row['name_en'] = row['name_en'] or en
    return row


def main():
    rows = read(SKILLS)
    profiles = collections.OrderedDict((r['code'], [s for s in r['skills'].split('|') if s])
                                       for r in read(PROFILES))
    by_name = collections.OrderedDict((r['name'], r) for r in rows)
    for r in rows:
        r['aliases'] = '|'.join(a for a in r['aliases'].split('|') if a and a not in MOVED
                                or r['name'] in MOVED)

    transversal = {}
    for name, en, aliases in TRANSVERSAL:
        add_skill(by_name, name, en, aliases)
        transversal[name] = 'hand: soft skill (ESCO transversal)'

    named = {}
    for name, en, aliases, kind in NAMED:
        add_skill(by_name, name, en, aliases)
        named[name] = kind
    for name, aliases in SPELLINGS:
        add_skill(by_name, name, '', aliases)

    licence = {}
    implies = {}
    for name, en, aliases, implied, codes in LICENCES:
        add_skill(by_name, name, en, aliases)['name_en'] = en
        implies[name] = implied
        prefixes = [c for c in codes.split('|') if c]
        held_by = [code for code in profiles if any(code == p or (p.endswith('-') and code.startswith(p))
                                                     for p in prefixes)]
        # After the profile's two most specific skills (the skill the
        # occupation's name names leads; the generator asks for a profile's
        # first skills most often).
        for code in held_by:
            if name not in profiles[code]:
                profiles[code].insert(min(2, len(profiles[code])), name)
        licence[name] = 'hand: licence or certificate' + (f', asked of {len(held_by)} occupations' if held_by else '')

    # Aliases must stay unique across skills: a moved alias lives with its licence only.
    seen = {}
    for row in by_name.values():
        keep = []
        for a in row['aliases'].split('|'):
            if a and a not in seen and a not in by_name:
                seen[a] = row['name']
                keep.append(a)
        row['aliases'] = '|'.join(keep)

    holders = collections.defaultdict(list)
    for code, skills in profiles.items():
        for s in skills:
            holders[s].append(code)
    for name, row in by_name.items():
        if name in licence:
            row['kind'], row['kind_basis'] = 'licence', licence[name]
        elif name in transversal:
            row['kind'], row['kind_basis'] = 'transversal', transversal[name]
        elif name in named:
            row['kind'], row['kind_basis'] = named[name], 'hand: named in postings, in no profile'
        else:
            codes = holders.get(name, [])
            n = len(codes)
            if n == 0:
                row['kind'], row['kind_basis'] = 'occupation', 'profiles: none'
                row['implies'] = implies.get(name, '')
                continue
            def top(depth):
                counts = collections.Counter('-'.join(c.split('-')[:depth]) for c in codes)
                group, k = max(counts.items(), key=lambda x: (x[1], x[0]))
                return group, k / n
            minor, s3 = top(3)
            major, s1 = top(1)
            if n <= OCCUPATION_MAX or s3 >= CONCENTRATED:
                row['kind'] = 'occupation'
                row['kind_basis'] = f'profiles: {n}, {s3:.0%} in minor group {minor}'
            elif s1 >= CONCENTRATED:
                row['kind'] = 'sector'
                row['kind_basis'] = f'profiles: {n}, {s1:.0%} in major group {major}'
            else:
                row['kind'] = 'cross_sector'
                row['kind_basis'] = f'profiles: {n}, at most {s1:.0%} in one major group'
        row['implies'] = implies.get(name, '')

    with open(SKILLS, 'w', encoding='utf-8', newline='') as f:
        w = csv.DictWriter(f, fieldnames=['name', 'name_en', 'aliases', 'kind', 'kind_basis', 'implies'],
                           lineterminator='\n')
        w.writeheader()
        for row in by_name.values():
            w.writerow({k: row.get(k, '') for k in w.fieldnames})
    with open(PROFILES, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['code', 'skills'])
        for code, skills in profiles.items():
            w.writerow([code, '|'.join(skills)])
    kinds = collections.Counter(r['kind'] for r in by_name.values())
    print(dict(kinds))


if __name__ == '__main__':
    main()
