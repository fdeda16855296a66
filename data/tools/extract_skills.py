#!/usr/bin/env python3
"""Derive the shipped skill vocabulary (data/skills.csv) and occupation skill
profiles (data/occupation_skills.csv) from the CSCO 2022 table.

Run from the repository root with ../shared beside it:
    pip install jieba==0.42.1 && python3 data/tools/extract_skills.py

Two sources of skills:
1. CORE below: cross-cutting skills written by hand, each with an English
   name, job-board aliases, and trigger words. A core skill is given to an
   occupation whose name, aliases or task text contains a trigger, or to
   every occupation under a listed code prefix.
2. Task keywords: short noun keywords that jieba's TF-IDF extractor finds in
   each occupation's `tasks` (or `definition`) text. Only the keywords are
   shipped, never the book's text (see data/SOURCES.md).
The output is deterministic for a given input and jieba version.
"""
import csv, collections, os, sys
import jieba, jieba.analyse

SRC = os.path.join('..', 'shared', 'data', 'occupations_csco2022.csv')

# name, English name, aliases (|), triggers (|), code prefixes (|)
CORE = [
    ("沟通能力", "Communication", "沟通|表达能力|沟通协调", "客户|顾客|咨询|接待|营销|销售", "4-|2-06-07"),
    ("团队合作", "Teamwork", "团队协作|团队精神", "组织|协调", "1-|2-02|2-06"),
    ("办公软件", "Office", "Office|MS Office|办公自动化|OA", "文书|文件|办公|档案|统计|报表", "3-|2-06"),
    ("Excel", "Excel", "电子表格|表格处理", "统计|报表|数据|核算|会计", ""),
    ("驾驶", "Driving", "驾驶证|C1驾照|C1|B2驾照|A2驾照|驾照", "驾驶|车辆|运输", "4-02-02"),
    ("英语", "English", "CET-4|CET-6|英语四级|英语六级|English", "外贸|涉外|翻译|国际", "2-10-05"),
    ("普通话", "Mandarin", "普通话二甲|Putonghua", "播音|主持|讲解|教学", "2-08"),
    ("数控", "CNC", "CNC|数控编程|CNC编程|数控车床|加工中心|CNC操机", "数控|加工中心", ""),
    ("CAD", "CAD", "AutoCAD|计算机辅助设计|CAD制图|制图", "制图|图纸|绘图|设计图", "2-02-07|2-02-18"),
    ("SolidWorks", "SolidWorks", "SW三维|三维建模", "机械设计|模具|三维", ""),
    ("PLC", "PLC", "可编程控制器|PLC编程|西门子PLC", "自动化|控制系统|可编程", ""),
    ("焊接", "Welding", "电焊|氩弧焊|二保焊|焊工证|气焊", "焊", ""),
    ("叉车", "Forklift", "叉车证|叉车驾驶|铲车", "叉车|装卸|仓储|搬运", ""),
    ("电工证", "Electrician licence", "低压电工证|高压电工证|特种作业操作证(电工)|电工操作证", "电工|电气|配电|供电", ""),
    ("机械加工", "Machining", "机加工|车工|铣工|磨工", "车床|铣床|磨床|机械加工|切削", ""),
    ("质量检验", "Quality inspection", "QC|质检|品检|来料检验|IQC|OQC", "质量|检验|质检", ""),
    ("安全生产", "Work safety", "安全操作|安全员证|EHS", "安全生产|危险|防护", "6-"),
    ("设备维护", "Equipment maintenance", "设备保养|设备维修|设备点检", "维护|保养|检修|维修", ""),
    ("Java", "Java", "Java开发|JAVA|Java EE|J2EE|Spring|SpringBoot", "软件|程序|系统开发", "2-02-10|4-04-05"),
    ("Python", "Python", "python|Python开发|Python编程", "数据|算法|人工智能|软件", "2-02-10"),
    ("C++", "C++", "C/C++|CPP|C语言", "嵌入式|软件|程序", ""),
    ("SQL", "SQL", "MySQL|Oracle|数据库|SQL Server|PostgreSQL", "数据库|数据", ""),
    ("Linux", "Linux", "Linux运维|Shell|Unix", "服务器|运维|网络", ""),
    ("前端开发", "Front-end development", "JavaScript|Vue|React|HTML|CSS|Web前端|H5", "网页|网站|前端|界面", ""),
    ("数据分析", "Data analysis", "数据统计|BI|数据挖掘|SPSS", "数据|统计|分析", ""),
    ("机器学习", "Machine learning", "深度学习|AI|人工智能|算法", "人工智能|算法|模型", ""),
    ("销售", "Sales", "销售技巧|业务拓展|BD|电话销售", "销售|推销|营销|订单", "4-01"),
    ("客户服务", "Customer service", "客服|售后服务|客户维护", "客户|售后|投诉|咨询", ""),
    ("电商运营", "E-commerce operations", "淘宝运营|天猫运营|拼多多运营|网店运营|京东运营", "电子商务|网店|电商", ""),
    ("直播带货", "Live-stream selling", "抖音直播|直播运营|主播|带货", "直播|网络营销", ""),
    ("新媒体运营", "New media operations", "公众号运营|短视频运营|抖音运营|小红书运营|内容运营", "新媒体|全媒体|公众号|短视频", ""),
    ("会计", "Accounting", "会计证|初级会计|中级会计|做账|账务处理", "会计|核算|账务|财务", ""),
    ("出纳", "Cashier (finance)", "现金管理|银行结算", "出纳|现金|收付", ""),
    ("税务", "Taxation", "报税|纳税申报|税务筹划", "税|纳税", ""),
    ("人力资源", "Human resources", "HR|人事|招聘|薪酬绩效|员工关系", "人力资源|招聘|薪酬|劳动关系", ""),
    ("行政管理", "Administration", "行政|后勤|文秘", "行政|后勤|秘书", ""),
    ("采购", "Purchasing", "采购管理|供应商管理|招标采购", "采购|供应商|招标", ""),
    ("仓储管理", "Warehouse management", "仓库管理|WMS|库管|出入库", "仓储|仓库|库存|出入库", ""),
    ("物流", "Logistics", "物流管理|供应链|配送", "物流|配送|快递|运输", ""),
    ("收银", "Cashiering", "收银员|POS收银|收银系统", "收银|收款", ""),
    ("烹饪", "Cooking", "厨师证|中式烹调|炒菜|厨艺", "烹饪|烹调|菜肴|厨", ""),
    ("餐饮服务", "Food service", "服务员|传菜|点餐", "餐饮|餐厅|宴会", ""),
    ("护理", "Nursing", "护士证|护士资格证|临床护理|护理操作", "护理|护士|患者|病人", ""),
    ("养老护理", "Elderly care", "护理员|老年护理|养老护理员证", "老年人|养老", ""),
    ("育婴", "Infant care", "育婴师证|月嫂|母婴护理", "婴|幼儿|产妇", ""),
    ("家政服务", "Housekeeping", "保洁|家政|清洁", "家政|保洁|清洁", "4-10"),
    ("教学", "Teaching", "教师资格证|教案|课堂教学|授课", "教学|授课|学生|课程", "2-08"),
    ("施工管理", "Construction management", "现场施工|工地管理|施工员证", "施工|工程|建筑", "6-29"),
    ("建筑识图", "Construction drawing reading", "识图|看图纸|施工图", "图纸|施工图|建筑", ""),
    ("电路维修", "Circuit repair", "电路板维修|电子维修|电器维修", "电路|电子|电器|线路", ""),
    ("装配", "Assembly", "组装|总装|装配工艺|流水线", "装配|组装|部件", ""),
    ("包装", "Packaging", "打包|包装作业", "包装|打包|封装", ""),
    ("化学分析", "Chemical analysis", "化验|理化检测|色谱|滴定", "化验|化学|试剂|理化", ""),
    ("设备操作", "Machine operation", "操机|机台操作|开机", "操作|机台|设备", "6-"),
    ("市场营销", "Marketing", "市场推广|品牌推广|营销策划", "市场|营销|推广|品牌", ""),
    ("法律知识", "Legal knowledge", "法律职业资格|法务|合同审核", "法律|法规|合同|诉讼", ""),
    ("平面设计", "Graphic design", "Photoshop|PS|Illustrator|AI设计|美工", "平面|图像|美术|广告设计", ""),
    ("视频剪辑", "Video editing", "剪辑|Premiere|PR|剪映|后期制作", "视频|剪辑|影视", ""),
    ("项目管理", "Project management", "PMP|项目经理|项目统筹", "项目|计划|进度", "1-|2-02"),
    ("农业种植", "Crop farming", "种植|农作物|大棚", "种植|作物|栽培|农", "5-01"),
    ("畜禽养殖", "Livestock farming", "养殖|饲养|畜牧", "养殖|饲养|畜|禽", "5-03"),
    ("安保", "Security", "保安证|巡逻|安全防范", "安全防范|巡逻|保安|治安", ""),
    ("消防", "Fire safety", "消防设施操作员证|消防证|消防控制", "消防|火灾", ""),
    ("汽车维修", "Car repair", "汽修|汽车保养|机修", "汽车|机动车", ""),
    ("美容美发", "Beauty and hairdressing", "美发|美容|美甲|化妆", "美容|美发|化妆", ""),
]

STOP = set("""工作 人员 目标 依法 相关 有关 情况 过程 方法 方式 问题 要求 内容 工作人员 活动 任务 条件
对象 业务 作业 工具 设备 技术 生产 服务 管理 信息 系统 产品 项目 记录 方案 资料 文件 事项 单位 机构
部门 规定 标准 计划 措施 质量 工程 工艺 现场 专业 程序 数据 结果 原料 材料 物料 制品 用品 器具 装置
设施 仪器 作品 形式 需求 领域 研究 分析 人群 组织 场所 工作者 能力 知识 工作站 物品 区域 状态""".split())

def split(s):
    return [x for x in s.split('|') if x]

def main():
    jieba.setLogLevel(60)
    rows = [r for r in csv.DictReader(open(SRC, encoding='utf-8')) if r['level'] == '4']
    skills = collections.OrderedDict()   # name -> (name_en, aliases)
    for name, en, aliases, _, _ in CORE:
        skills[name] = (en, aliases)
    def core_of(r):
        hay = r['name'] + ' ' + r['aliases'] + ' ' + (r['tasks'] or r['definition'] or '')
        return [name for name, _, _, triggers, prefixes in CORE
                if any(t in hay for t in split(triggers)) or any(r['code'].startswith(p) for p in split(prefixes))]
    # A core skill that few occupations have says more about them than one
    # that most have, so each profile lists its core skills rarest first.
    reach = collections.Counter(c for r in rows for c in core_of(r))
    profiles = []
    for r in rows:
        text = r['tasks'] or r['definition'] or ''
        core = sorted(core_of(r), key=lambda c: (reach[c], c))
        tags = jieba.analyse.extract_tags(text, topK=12, allowPOS=('n', 'vn', 'nz', 'eng'))
        kws = [t for t in tags if len(t) >= 2 and t not in STOP and t not in skills][:6]
        for k in kws:
            skills.setdefault(k, ('', ''))
        # Task keywords first: they are what sets the occupation apart.
        profile = kws + [c for c in core if c not in kws][:4]
        profiles.append((r['code'], profile))
    os.makedirs('data', exist_ok=True)
    with open('data/skills.csv', 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['name', 'name_en', 'aliases'])
        for name, (en, aliases) in skills.items():
            w.writerow([name, en, aliases])
    with open('data/occupation_skills.csv', 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['code', 'skills'])
        for code, prof in profiles:
            w.writerow([code, '|'.join(prof)])
    print(f'{len(skills)} skills, {len(profiles)} occupation profiles', file=sys.stderr)

if __name__ == '__main__':
    main()
