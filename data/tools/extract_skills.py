#!/usr/bin/env python3
"""Derive the shipped skill vocabulary (data/skills.csv) and occupation skill
profiles (data/occupation_skills.csv) from the CSCO 2022 table.

Run from the repository root with ../shared beside it:
    pip install jieba==0.42.1 && python3 data/tools/extract_skills.py
It prints, for a fixed list of occupations across the major groups, the
profile it made, to be looked at (`jobmatch profiles` prints the shipped ones).

Every occupation (level 4) is one document: its name (counted three times,
the strongest evidence of what the work is), its job-board aliases, its
definition and its task text. Candidates for its profile are of two kinds:

1. Task keywords: nouns that jieba segments out of the document, kept only if
   at most MAX_KEYWORD_SHARE of all occupations use them (a word that many
   occupations share sets none of them apart).
2. CORE skills below, written by hand with an English name and job-board
   aliases: the skills seekers and employers actually type (焊接, 叉车证,
   Python). A core skill counts as present in a document as many times as its
   triggers occur there; a trigger `a+b` needs both words. Only a few code
   prefixes grant one outright, where the skill *is* the occupation group
   (drivers drive, salespeople sell). Software and licence skills have
   triggers that name that kind of work (数据库, 驾驶), never broad words such
   as 数据 or 车辆; generic skills (GENERIC) also need words that support them.

Every candidate is weighted by TF-IDF across the occupations:
(1 + ln tf) * ln(N / df). A profile is the best MAX_KEYWORDS keywords and the
best MAX_CORE core skills, ordered by weight, so the generator (which takes a
profile's first skills most often) uses the most specific ones most. The
output is deterministic for a given input and jieba version.
"""
import collections, csv, math, os, sys
import jieba, jieba.analyse, jieba.posseg

SRC = os.path.join('..', 'shared', 'data', 'occupations_csco2022.csv')
MAX_KEYWORDS = 6
MAX_CORE = 4
MAX_KEYWORD_SHARE = 0.02
# Words naming a role (设计师, 管理员, 驾驶员) name the job, not a skill.
ROLE_SUFFIXES = ('员', '师', '者')
# A keyword whose IDF in Chinese at large (jieba's table) is below this share
# of the median is an everyday word (价格, 程度, 资金), not a skill.
MIN_GENERAL_IDF_SHARE = 0.5
NAME_WEIGHT = 3
KEYWORD_POS = ('n', 'vn', 'nz', 'eng')

# Skills many kinds of work need; the only ones that may sit in more than
# a small share of profiles (the crate's tests check this).
# Assembly, packaging and site work are kinds of work across manufacturing
# and construction rather than one trade's skill. Any other skill is in at
# most MAX_SPECIFIC_SHARE of the profiles.
GENERIC = {"沟通能力", "团队合作", "办公软件", "设备操作", "设备维护", "安全生产", "质量检验",
           "装配", "包装", "施工管理"}
MAX_SPECIFIC_SHARE = 0.05

# name, English name, aliases (|), triggers (|, a+b needs both), code prefixes (|)
CORE = [
    ("沟通能力", "Communication", "沟通|表达能力|沟通协调", "沟通|接待|顾客|咨询服务", ""),
    ("团队合作", "Teamwork", "团队协作|团队精神", "团队|带领", ""),
    ("办公软件", "Office", "Office|MS Office|办公自动化|OA", "文书|办公|档案|公文|文秘", ""),
    ("Excel", "Excel", "电子表格|表格处理", "报表|统计表|台账", ""),
    ("驾驶", "Driving", "驾驶证|C1驾照|C1|B2驾照|A2驾照|驾照", "驾驶", "4-02-02"),
    ("英语", "English", "CET-4|CET-6|英语四级|英语六级|English", "外语|英语|涉外|外贸|翻译", "2-10-05"),
    ("普通话", "Mandarin", "普通话二甲|Putonghua", "播音|主持人|节目主持|讲解|普通话", "2-08"),
    ("数控", "CNC", "CNC|数控编程|CNC编程|数控车床|加工中心|CNC操机", "数控|加工中心", ""),
    ("CAD", "CAD", "AutoCAD|计算机辅助设计|CAD制图|制图", "制图|绘图|设计图", ""),
    ("SolidWorks", "SolidWorks", "SW三维|三维建模", "机械设计|模具设计|三维建模|三维设计", ""),
    ("PLC", "PLC", "可编程控制器|PLC编程|西门子PLC", "可编程|自动化控制|控制系统", ""),
    ("焊接", "Welding", "电焊|氩弧焊|二保焊|焊工证|气焊", "焊", ""),
    ("叉车", "Forklift", "叉车证|叉车驾驶|铲车", "叉车|装卸机械", ""),
    ("电工证", "Electrician licence", "低压电工证|高压电工证|特种作业操作证(电工)|电工操作证", "电工|配电|供电|变电|电气设备|电气线路", ""),
    ("机械加工", "Machining", "机加工|车工|铣工|磨工", "车床|铣床|磨床|机械加工|切削", ""),
    ("质量检验", "Quality inspection", "QC|质检|品检|来料检验|IQC|OQC", "质检|质量检验|产品检验|检验+质量", ""),
    ("安全生产", "Work safety", "安全操作|安全员证|EHS", "安全生产|安全操作规程|安全隐患|危险化学品|危险品", ""),
    ("设备维护", "Equipment maintenance", "设备保养|设备维修|设备点检", "维护保养|维护设备|设备维护|设备保养|保养设备|检修设备|设备检修|维修设备|设备维修", ""),
    ("Java", "Java", "Java开发|JAVA|Java EE|J2EE|Spring|SpringBoot", "软件开发|软件设计|程序设计|应用软件|计算机程序|软件编程", ""),
    ("Python", "Python", "python|Python开发|Python编程", "算法|人工智能|软件开发|大数据|数据挖掘", ""),
    ("C++", "C++", "C/C++|CPP|C语言", "嵌入式|程序设计|软件开发|软件编程", ""),
    ("SQL", "SQL", "MySQL|Oracle|数据库|SQL Server|PostgreSQL", "数据库", ""),
    ("Linux", "Linux", "Linux运维|Shell|Unix", "服务器|系统运维|网络运维|网络操作系统|计算机操作系统", ""),
    ("前端开发", "Front-end development", "JavaScript|Vue|React|HTML|CSS|Web前端|H5", "网页|网站|前端|用户界面", ""),
    ("数据分析", "Data analysis", "数据统计|BI|数据挖掘|SPSS", "数据分析|统计分析|数据挖掘|数据处理", ""),
    ("机器学习", "Machine learning", "深度学习|人工智能|AI算法|AI模型|算法", "人工智能|机器学习|深度学习|算法", ""),
    ("销售", "Sales", "销售技巧|业务拓展|BD|电话销售", "销售|推销", "4-01"),
    ("客户服务", "Customer service", "客服|售后服务|客户维护", "客户服务|售后|投诉|客服|呼叫", ""),
    ("电商运营", "E-commerce operations", "淘宝运营|天猫运营|拼多多运营|网店运营|京东运营", "电子商务|网店|电商", ""),
    ("直播带货", "Live-stream selling", "抖音直播|直播运营|主播|带货", "直播|网络营销", ""),
    ("新媒体运营", "New media operations", "公众号运营|短视频运营|抖音运营|小红书运营|内容运营", "新媒体|全媒体|公众号|短视频", ""),
    ("会计", "Accounting", "会计证|初级会计|中级会计|做账|账务处理", "会计|账务|记账", ""),
    ("出纳", "Cashier (finance)", "现金管理|银行结算", "出纳|现金|收付", ""),
    ("税务", "Taxation", "报税|纳税申报|税务筹划", "税务|纳税|税收|涉税", ""),
    ("人力资源", "Human resources", "HR|人事|招聘|薪酬绩效|员工关系", "人力资源|招聘|薪酬|劳动关系", ""),
    ("行政管理", "Administration", "行政|后勤|文秘", "行政事务|后勤|秘书", ""),
    ("采购", "Purchasing", "采购管理|供应商管理|招标采购", "采购|供应商|招标", ""),
    ("仓储管理", "Warehouse management", "仓库管理|WMS|库管|出入库", "仓储|仓库|库存|出入库", ""),
    ("物流", "Logistics", "物流管理|供应链|配送", "物流|配送|快递|货运", ""),
    ("收银", "Cashiering", "收银员|POS收银|收银系统", "收银|收款", ""),
    ("烹饪", "Cooking", "厨师证|中式烹调|炒菜|厨艺", "烹饪|烹调|菜肴|厨", ""),
    ("餐饮服务", "Food service", "服务员|传菜|点餐", "餐饮|餐厅|宴会", ""),
    ("护理", "Nursing", "护士证|护士资格证|临床护理|护理操作", "护理|护士", ""),
    ("养老护理", "Elderly care", "护理员|老年护理|养老护理员证", "老年人|养老", ""),
    ("育婴", "Infant care", "育婴师证|月嫂|母婴护理", "婴|幼儿|产妇", ""),
    ("家政服务", "Housekeeping", "保洁|家政|清洁", "家政|保洁|家庭服务|家务", ""),
    ("教学", "Teaching", "教师资格证|教案|课堂教学|授课", "教学|授课", "2-08"),
    ("施工管理", "Construction management", "现场施工|工地管理|施工员证", "施工", ""),
    ("建筑识图", "Construction drawing reading", "识图|看图纸|施工图", "施工图|识图|建筑图纸|图纸", ""),
    ("电路维修", "Circuit repair", "电路板维修|电子维修|电器维修", "电路|电器维修|线路板|电子线路", ""),
    ("装配", "Assembly", "组装|总装|装配工艺|流水线", "装配|组装", ""),
    ("包装", "Packaging", "打包|包装作业", "包装|打包", ""),
    ("化学分析", "Chemical analysis", "化验|理化检测|色谱|滴定", "化验|化学分析|试剂|理化", ""),
    ("设备操作", "Machine operation", "操机|机台操作|开机", "操作设备|操作机械|操作机器|操作生产设备|操控|机台|开机", ""),
    ("市场营销", "Marketing", "市场推广|品牌推广|营销策划", "营销|市场推广|品牌推广|市场调研|市场开发", ""),
    ("法律知识", "Legal knowledge", "法律职业资格|法务|合同审核", "诉讼|法务|法律服务|法律事务|法律咨询|律师", ""),
    ("平面设计", "Graphic design", "Photoshop|PS|Illustrator|AI设计|美工", "平面设计|美术设计|广告设计|图像处理", ""),
    ("视频剪辑", "Video editing", "剪辑|Premiere|PR|剪映|后期制作", "视频|剪辑|影视", ""),
    ("项目管理", "Project management", "PMP|项目经理|项目统筹", "项目管理|项目实施|工程项目|项目进度|项目计划", ""),
    ("农业种植", "Crop farming", "种植|农作物|大棚", "种植|作物|栽培", "5-01"),
    ("畜禽养殖", "Livestock farming", "养殖|饲养|畜牧", "养殖|饲养|畜禽", "5-03"),
    ("安保", "Security", "保安证|巡逻|安全防范", "安全防范|巡逻|保安|治安", ""),
    ("消防", "Fire safety", "消防设施操作员证|消防证|消防控制", "消防|火灾", ""),
    ("汽车维修", "Car repair", "汽修|汽车保养|机修", "汽车维修|汽车修理|机动车维修|汽车保养|汽车检测", ""),
    ("美容美发", "Beauty and hairdressing", "美发|美容|美甲|化妆", "美容|美发|化妆", ""),
]

STOP = set("""工作 人员 目标 依法 相关 有关 情况 过程 方法 方式 问题 要求 内容 工作人员 活动 任务 条件
对象 业务 作业 工具 设备 技术 生产 服务 管理 信息 系统 产品 项目 记录 方案 资料 文件 事项 单位 机构
部门 规定 标准 计划 措施 质量 工程 工艺 现场 专业 程序 数据 结果 原料 材料 物料 制品 用品 器具 装置
设施 仪器 作品 形式 需求 领域 研究 分析 人群 组织 场所 工作者 能力 知识 工作站 物品 区域 状态
工程技术 技术人员 工程师 操作工 制作工 检验员 维修工 专员 助理 主管 经理 师傅 学徒""".split())

# Occupations whose profiles are printed to be looked at: two or three from
# each major group that has occupations (groups 7 and 8 have none in CSCO).
SHOWN = ["1-06-01-02", "2-02-10-03", "2-05-07-01", "2-06-01-01", "3-01-01-01", "3-02-03-01",
         "4-01-02-01", "4-02-02-01", "4-03-02-01", "4-12-04-01", "5-01-01-01", "5-03-01-01",
         "6-18-02-04", "6-29-01-01", "6-23-04-02"]


def split(s):
    return [x for x in s.split('|') if x]


def hits(trigger, text):
    """How many times a trigger occurs; `a+b` counts only if both occur."""
    parts = trigger.split('+')
    if any(p not in text for p in parts):
        return 0
    return min(text.count(p) for p in parts)


def main():
    jieba.setLogLevel(60)
    rows = [r for r in csv.DictReader(open(SRC, encoding='utf-8')) if r['level'] == '4']
    n = len(rows)
    docs = []  # (code, name, keyword tf, core tf)
    for r in rows:
        body = r['definition'] + ' ' + r['tasks']
        words = collections.Counter()
        for text, weight in ((r['name'], NAME_WEIGHT), (body, 1)):
            for w, flag in jieba.posseg.cut(text):
                w = w.strip()
                if len(w) >= 2 and flag.startswith(KEYWORD_POS) and w not in STOP and not w.isdigit():
                    words[w] += weight
        core = collections.Counter()
        for name, _, _, triggers, prefixes in CORE:
            t = sum(NAME_WEIGHT * hits(x, r['name']) + hits(x, body) for x in split(triggers))
            t += sum(1 for p in split(prefixes) if r['code'].startswith(p))
            if t:
                core[name] = t
        docs.append((r['code'], r['name'], words, core))

    # A keyword that is a core skill or one of its aliases (气焊 is 焊接).
    triggers_of = {c[0]: c[3] for c in CORE}
    core_names = {c[0] for c in CORE} | {a for c in CORE for a in split(c[2])}
    df = collections.Counter()
    for _, _, words, core in docs:
        df.update(set(words) | set(core))
    max_df = MAX_KEYWORD_SHARE * n

    general = jieba.analyse.default_tfidf
    def weight(tf, term):
        return (1 + math.log(tf)) * math.log(n / df[term])

    def keyword_weight(tf, term):
        # Words common in Chinese at large (程度, 价格) say little of a job.
        return weight(tf, term) * min(1.0, general.idf_freq.get(term, general.median_idf) / general.median_idf)

    skills = collections.OrderedDict((name, (en, aliases)) for name, en, aliases, _, _ in CORE)
    profiles = []
    for code, name, words, core in docs:
        kws = [(keyword_weight(tf, w), w) for w, tf in words.items()
               if df[w] <= max_df and w not in core_names and not w.endswith(ROLE_SUFFIXES)
               and general.idf_freq.get(w, general.median_idf) >= MIN_GENERAL_IDF_SHARE * general.median_idf]
        kws = sorted(kws, key=lambda x: (-x[0], x[1]))[:MAX_KEYWORDS]
        cs = sorted(((weight(tf, c), c) for c, tf in core.items()), key=lambda x: (-x[0], x[1]))[:MAX_CORE]
        # A hand-written skill the occupation's name names (焊工: 焊接) is
        # what the occupation is: it leads the profile.
        defining = [c for _, c in cs if any(hits(x, name) for x in split(triggers_of[c]))]
        profile = defining + [w for _, w in sorted(kws + cs, key=lambda x: (-x[0], x[1])) if w not in defining]
        for _, w in kws:
            skills.setdefault(w, ('', ''))
        profiles.append((code, name, profile))

    with open('data/skills.csv', 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['name', 'name_en', 'aliases'])
        for name, (en, aliases) in skills.items():
            w.writerow([name, en, aliases])
    with open('data/occupation_skills.csv', 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['code', 'skills'])
        for code, _, prof in profiles:
            w.writerow([code, '|'.join(prof)])

    reach = collections.Counter(s for _, _, p in profiles for s in p)
    wide = [s for s, c in reach.items() if s not in GENERIC and c > MAX_SPECIFIC_SHARE * n]
    if wide:
        sys.exit(f'in more than {MAX_SPECIFIC_SHARE:.0%} of profiles but not generic: {wide}')
    print(f'{len(skills)} skills, {len(profiles)} occupation profiles; '
          f'empty: {sum(1 for _, _, p in profiles if not p)}', file=sys.stderr)
    print('skills in most profiles:', ', '.join(f'{s} {c}' for s, c in reach.most_common(12)), file=sys.stderr)
    for code, name, prof in profiles:
        if code in SHOWN:
            print(f'{code} {name}: {"|".join(prof)}', file=sys.stderr)


if __name__ == '__main__':
    main()
