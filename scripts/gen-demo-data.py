#!/usr/bin/env python3
"""Generates the demo data in Config/demo/ for 三门峡市 (python3 stdlib only, fixed seed).

Run from anywhere: `python3 scripts/gen-demo-data.py`. The output is committed; rerunning
reproduces it byte for byte. Every code it writes comes from Config/taxonomy/ and
Config/regions/, and every USCC gets its check characters computed here (GB 32100 / GB 11714);
Tests/ChanjiaoDomainTests/DemoDataTests.swift checks all of it with the Swift validators.

People, phone numbers, e-mail addresses and credit codes are fictional: phones use the
unassigned-looking 0000 middle block, e-mail addresses the reserved example.com domain.
"""

import csv
import datetime
import io
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = ROOT / "Config" / "taxonomy"
OUT = ROOT / "Config" / "demo"
SEED = 20260301

COUNTIES = {
    "411202": "湖滨区",
    "411203": "陕州区",
    "411221": "渑池县",
    "411224": "卢氏县",
    "411281": "义马市",
    "411282": "灵宝市",
}
# Talents may also want to work outside the city: 郑州 中原区/金水区, 洛阳 涧西区/洛龙区, 西安 未央区.
OUTSIDE_REGIONS = ["410102", "410105", "410305", "410311", "610112"]
STREETS = {
    "411202": ["黄河路", "崤山路", "和平路", "六峰路", "上阳路", "甘棠路"],
    "411203": ["陕州大道", "人民路", "甘山路", "温塘路"],
    "411221": ["仰韶大道", "韶州路", "黄河路", "渑池工业园区纬二路"],
    "411224": ["莘川大道", "城关路", "洛河路"],
    "411281": ["千秋路", "朝阳路", "新义街", "义马工业园区经三路"],
    "411282": ["函谷路", "荆山路", "长安路", "灵宝产业集聚区金城大道"],
}

# --- USCC (GB 32100-2015) -------------------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def uscc_complete(first16):
    """Appends the GB 11714 organization check (position 17) and the final check (18)."""
    total = sum(int(c, 36) * w for c, w in zip(first16[8:16], ORG_WEIGHTS))
    check = 11 - total % 11
    org = {10: "X", 11: "0"}.get(check, str(check))
    first17 = first16 + org
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


# --- names ---------------------------------------------------------------------------

SURNAMES = list("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯鹏飞鑫晨阳欣怡佳琪梦瑶雪婷博然思源子轩宏志晓东海波亮永健俊峰雷春燕秋兰梅丹帅旭锋昊航振国庆")


def person_name(rng):
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def phone(rng, used):
    while True:
        number = rng.choice(["138", "139", "135", "150", "158", "186", "188", "152"]) + "0000" + f"{rng.randrange(10000):04d}"
        if number not in used:
            used.add(number)
            return number


def day(text):
    return datetime.date.fromisoformat(text)


def random_date(rng, first, last):
    span = (day(last) - day(first)).days
    return day(first) + datetime.timedelta(days=rng.randrange(span + 1))


def period(rng, first, last, min_days, max_days):
    """A start in [first, last] and an end min..max days later, capped at 2028-12-31."""
    start = random_date(rng, first, last)
    end = min(start + datetime.timedelta(days=rng.randint(min_days, max_days)), day("2028-12-31"))
    return start.isoformat(), end.isoformat()


# --- taxonomy ------------------------------------------------------------------------


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


SKILLS = {r["code"]: r for r in read_csv(TAXONOMY / "skills.csv") if r["parent"]}
OCCUPATIONS = {r["code"]: r["name"] for r in read_csv(TAXONOMY / "occupations.csv")}
SPECIALTIES = {r["code"]: r for r in read_csv(TAXONOMY / "specialties.csv")}


def group(prefix):
    return sorted(code for code in SKILLS if code.startswith(prefix + "-"))


# Skills each specialty teaches: the first entries are its core, the rest are electives.
SPECIALTY_SKILLS = {
    "420501": ["MIN-001", "MIN-002", "MIN-005", "SAF-001", "SAF-002", "MIN-009", "ELEC-001"],
    "420502": ["MIN-010", "ELEC-001", "ELEC-002", "MECH-006", "MECH-007", "MIN-009"],
    "420504": ["MIN-003", "MIN-004", "SAF-002", "SAF-003", "SAF-004", "MIN-009"],
    "420601": ["MIN-006", "MIN-007", "GLD-001", "SAF-002", "MIN-005"],
    "420602": ["GLD-002", "MIN-008", "GLD-007", "QUA-003", "SAF-007"],
    "420901": ["SAF-001", "SAF-002", "SAF-003", "SAF-004", "SAF-005", "SAF-008", "QUA-001"],
    "420904": ["SAF-003", "SAF-006", "SAF-004", "SAF-002", "SAF-007"],
    "430102": ["ELEC-006", "ELEC-002", "ELEC-001", "ELEC-007", "SAF-005"],
    "430501": ["MET-001", "MET-002", "MET-003", "MET-004", "MET-007", "ALU-002", "MET-008", "SAF-002"],
    "430502": ["ALU-004", "ALU-005", "ALU-006", "CUF-008", "ALU-003", "QUA-006"],
    "430504": ["CUF-001", "CUF-004", "CUF-006", "QUA-003", "CUF-007"],
    "460101": ["MECH-001", "MECH-009", "MECH-002", "MECH-003", "MECH-005", "QUA-006"],
    "460102": ["MECH-003", "MECH-009", "MECH-005", "ELEC-003", "QUA-007"],
    "460103": ["MECH-003", "MECH-001", "MECH-002", "MECH-009", "QUA-006"],
    "460107": ["MECH-010", "MECH-004", "ALU-003", "QUA-004", "MECH-001"],
    "460203": ["MECH-006", "MECH-007", "ELEC-005", "ELEC-001", "MECH-005"],
    "460301": ["ELEC-003", "MECH-005", "ELEC-007", "MECH-007", "ELEC-004", "ELEC-008"],
    "460305": ["ELEC-008", "ELEC-003", "DIG-005", "MECH-005", "ELEC-007"],
    "460306": ["ELEC-003", "ELEC-004", "ELEC-006", "ELEC-007", "ELEC-001", "ELEC-009"],
    "460307": ["ELEC-009", "ELEC-003", "CHEM-005", "CHEM-002", "DIG-003"],
    "460701": ["VEH-001", "VEH-003", "VEH-004", "VEH-008", "MECH-001", "QUA-002"],
    "460702": ["VEH-006", "VEH-001", "VEH-007", "ELEC-007"],
    "470201": ["CHEM-001", "CHEM-002", "CHEM-006", "CHEM-007", "CHEM-008", "SAF-002"],
    "470203": ["CHEM-004", "CHEM-001", "CHEM-006", "CHEM-007"],
    "470205": ["CHEM-003", "CHEM-001", "CHEM-002", "CHEM-009", "MIN-008"],
    "470206": ["CHEM-002", "CHEM-005", "DIG-003", "DIG-001", "CHEM-001"],
    "470208": ["CHEM-006", "QUA-003", "MET-008", "FOOD-006", "QUA-005"],
    "490101": ["FOOD-001", "FOOD-002", "FOOD-003", "FOOD-004", "FOOD-009", "FOOD-008"],
    "490102": ["FOOD-007", "FOOD-005", "FOOD-006", "QUA-001"],
    "490104": ["FOOD-005", "FOOD-006", "QUA-003", "QUA-005"],
    "500211": ["VEH-007", "VEH-008", "ELEC-007"],
    "500212": ["VEH-006", "VEH-007", "ELEC-001"],
    "510101": ["DIG-002", "ELEC-007", "SW-006", "ELEC-003"],
    "510102": ["DIG-001", "DIG-002", "SW-006", "ELEC-003", "SW-009"],
    "510201": ["SW-001", "SW-002", "SW-003", "DIG-006", "SW-006"],
    "510202": ["SW-005", "SW-008", "SW-009", "SW-003"],
    "510203": ["SW-001", "SW-002", "SW-003", "SW-004", "SW-006", "SW-007"],
    "510205": ["SW-006", "DIG-002", "SW-003", "SW-009"],
    "510206": ["SW-009", "SW-005", "SW-008"],
    "510207": ["SW-008", "SW-005", "SW-003"],
    "510209": ["DIG-008", "SW-006", "DIG-002"],
    "510211": ["DIG-001", "DIG-003", "DIG-005", "SW-010", "ELEC-003"],
    "530701": ["DIG-007", "DIG-006", "LOG-003"],
    "530801": ["LOG-001", "LOG-003", "LOG-005", "LOG-006", "LOG-008", "DIG-004"],
    "530805": ["LOG-004", "LOG-001", "LOG-003", "FOOD-007"],
    "620501": ["MIN-001", "MIN-002", "MIN-005", "SAF-001"],
    "630501": ["MET-001", "MET-003", "MET-006", "MET-004", "SAF-007"],
    "660103": ["MECH-003", "MECH-002", "MECH-001"],
    "660104": ["MECH-004", "MECH-001", "QUA-004"],
    "660301": ["MECH-005", "ELEC-001", "ELEC-003", "MECH-007"],
    "660302": ["ELEC-001", "ELEC-007", "ELEC-005", "ELEC-004"],
    "670201": ["CHEM-001", "CHEM-007", "CHEM-006"],
    "690101": ["FOOD-001", "FOOD-002", "FOOD-010", "FOOD-004"],
    "700206": ["VEH-007", "ELEC-007"],
    "710201": ["DIG-006", "SW-002", "SW-003"],
    "730801": ["LOG-001", "LOG-002", "LOG-003", "LOG-005"],
    "230501": ["MET-001", "MET-002", "MET-003", "MET-007", "ALU-002", "DIG-002"],
    "260101": ["MECH-009", "MECH-001", "MECH-003", "MECH-007", "DIG-005"],
    "260302": ["ELEC-003", "ELEC-006", "ELEC-004", "ELEC-002", "DIG-001"],
    "260701": ["VEH-001", "VEH-006", "VEH-008", "MECH-009"],
    "270201": ["CHEM-002", "CHEM-004", "CHEM-003", "CHEM-009", "DIG-002"],
    "310201": ["SW-001", "SW-003", "SW-009", "DIG-002"],
    "310203": ["SW-001", "SW-002", "SW-003", "SW-004", "SW-009", "DIG-008"],
    "330801": ["LOG-006", "LOG-005", "LOG-008", "DIG-004", "DIG-002"],
}

# --- enterprises ---------------------------------------------------------------------

# (name, username, county, GB/T 4754 code, size, profile). The first seven are the city's
# anchor companies the demo script walks through; the rest are realistic but made up.
ENTERPRISES = [
    ("中原冶炼厂", "ent-zyyl", "411202", "C3221", "large", "gold_smelting"),
    ("灵宝黄金股份", "ent-lbhj", "411282", "B0941", "large", "gold_mining"),
    ("华鑫铜箔", "ent-hxtb", "411282", "C3985", "large", "copper_foil"),
    ("骏通车辆", "ent-jtcl", "411202", "C3660", "large", "vehicles"),
    ("开曼铝业", "ent-kmly", "411203", "C3216", "large", "aluminium"),
    ("三味奇", "ent-swq", "411202", "C1469", "medium", "food"),
    ("开祥化工", "ent-kxhg", "411281", "C2614", "large", "chemicals"),
    ("义马煤业", "ent-ymmy", "411281", "B0610", "large", "coal"),
    ("义马气化", "ent-ymqh", "411281", "C2522", "medium", "chemicals"),
    ("义马精细化工", "ent-ymjx", "411281", "C2662", "small", "chemicals"),
    ("义马环保设备", "ent-ymhb", "411281", "C3591", "small", "machinery"),
    ("陕州煤电", "ent-szmd", "411203", "B0610", "medium", "coal"),
    ("陕州果蔬食品", "ent-szgs", "411203", "C1373", "small", "food"),
    ("陕州冷链物流", "ent-szll", "411203", "G5931", "small", "logistics"),
    ("陕州精密机械", "ent-szjm", "411203", "C3484", "small", "machinery"),
    ("渑池铝材", "ent-mclc", "411221", "C3252", "medium", "aluminium"),
    ("渑池酒业", "ent-mcjy", "411221", "C1512", "medium", "food"),
    ("渑池耐材", "ent-mcnc", "411221", "C3089", "medium", "materials"),
    ("渑池化工", "ent-mchg", "411221", "C2614", "small", "chemicals"),
    ("渑池物流", "ent-mcwl", "411221", "G5431", "small", "logistics"),
    ("卢氏钼业", "ent-lsmy", "411224", "B0951", "medium", "mining"),
    ("卢氏金矿", "ent-lsjk", "411224", "B0941", "small", "gold_mining"),
    ("卢氏核桃食品", "ent-lsht", "411224", "C1373", "small", "food"),
    ("卢氏食用菌", "ent-lssyj", "411224", "C1372", "micro", "food"),
    ("灵宝金城冶炼", "ent-lbjc", "411282", "C3211", "medium", "copper_smelting"),
    ("灵宝箔材科技", "ent-lbbc", "411282", "C3985", "medium", "copper_foil"),
    ("灵宝苹果饮品", "ent-lbpg", "411282", "C1523", "medium", "food"),
    ("灵宝矿山机械", "ent-lbks", "411282", "C3511", "small", "machinery"),
    ("灵宝汽车零部件", "ent-lbqp", "411282", "C3670", "small", "vehicles"),
    ("灵宝函谷物流", "ent-lbhg", "411282", "G5920", "small", "logistics"),
    ("豫西物流园", "ent-yxwl", "411202", "G5920", "medium", "logistics"),
    ("天鹅软件", "ent-ters", "411202", "I6513", "small", "software"),
    ("崤函数据科技", "ent-xhsj", "411202", "I6531", "micro", "software"),
    ("三门峡电力设备", "ent-smxdl", "411202", "C3823", "small", "machinery"),
    ("黄河职业技能培训中心", "ent-hhpx", "411202", "P8391", "small", "training"),
]

# Demand templates per profile: (role, occupation, [(skill, level, weight)], min_level).
# Titles are role + the mode's suffix (铜箔分切操作工 + 订单班).
PROFILES = {
    "gold_smelting": [
        ("火法冶炼操作工", "6-17-04-02", [("MET-001", 4, 3), ("MET-004", 3, 2), ("MET-006", 3, 1), ("SAF-002", 3, 2)], "secondary"),
        ("贵金属精炼工", "6-17-06-01", [("GLD-005", 4, 3), ("MET-003", 3, 2), ("GLD-006", 3, 2), ("SAF-007", 2, 1)], "associate"),
        ("烟气制酸操作工", "6-17-04-03", [("MET-005", 3, 3), ("CHEM-001", 3, 2), ("SAF-004", 3, 2)], "secondary"),
        ("冶炼工艺技术员", "2-02-05-01", [("MET-007", 4, 3), ("MET-001", 3, 2), ("MET-002", 3, 2), ("DIG-002", 2, 1)], "associate"),
        ("化验分析员", "6-31-03-01", [("MET-008", 4, 3), ("GLD-006", 3, 2), ("QUA-003", 3, 2)], "associate"),
        ("冶炼设备维修电工", "6-31-01-03", [("ELEC-001", 4, 3), ("ELEC-002", 3, 2), ("MECH-006", 3, 1)], "secondary"),
    ],
    "gold_mining": [
        ("井下采矿工", "6-16-01-02", [("GLD-001", 3, 3), ("MIN-007", 3, 2), ("SAF-002", 3, 2), ("MIN-005", 2, 1)], "secondary"),
        ("浮选工", "6-16-02-01", [("GLD-002", 4, 3), ("GLD-007", 2, 1), ("SAF-007", 2, 1)], "secondary"),
        ("氰化提金操作工", "6-17-06-01", [("GLD-003", 4, 3), ("CHEM-007", 3, 3), ("SAF-004", 3, 2)], "secondary"),
        ("采矿技术员", "2-02-03-01", [("GLD-001", 4, 3), ("MIN-006", 3, 2), ("MIN-009", 3, 2), ("SAF-001", 3, 1)], "associate"),
        ("矿山安全员", "6-16-01-07", [("SAF-001", 4, 3), ("SAF-002", 4, 3), ("SAF-003", 3, 2), ("MIN-003", 3, 1)], "associate"),
        ("金银饰品加工工", "6-17-06-01", [("GLD-008", 3, 3), ("GLD-006", 2, 1)], "short_term"),
    ],
    "copper_smelting": [
        ("铜冶炼火法操作工", "6-17-04-02", [("MET-001", 4, 3), ("MET-004", 3, 2), ("SAF-002", 3, 2)], "secondary"),
        ("电解精炼工", "6-17-04-04", [("MET-003", 4, 3), ("MET-002", 3, 2), ("QUA-006", 2, 1)], "secondary"),
        ("冶炼渣回收操作工", "6-17-04-01", [("MET-010", 3, 3), ("MET-006", 3, 2)], "short_term"),
        ("冶金过程控制员", "2-02-05-01", [("MET-007", 4, 3), ("ELEC-009", 3, 2), ("DIG-003", 3, 1)], "associate"),
    ],
    "copper_foil": [
        ("铜箔分切操作工", "6-17-07-03", [("CUF-003", 3, 3), ("CUF-007", 2, 2), ("QUA-006", 2, 1)], "secondary"),
        ("生箔机操作工", "6-17-04-04", [("CUF-001", 4, 3), ("CUF-004", 3, 2), ("CUF-007", 3, 1)], "secondary"),
        ("铜箔表面处理工", "6-17-07-03", [("CUF-002", 4, 3), ("CHEM-001", 2, 1), ("CUF-007", 3, 2)], "secondary"),
        ("阴极辊研磨工", "6-18-01-04", [("CUF-005", 4, 3), ("MECH-002", 3, 2), ("MECH-006", 2, 1)], "secondary"),
        ("锂电铜箔检测员", "6-31-03-02", [("CUF-006", 4, 3), ("QUA-003", 3, 2), ("QUA-002", 3, 1)], "associate"),
        ("电解液净化工", "6-17-04-03", [("CUF-004", 4, 3), ("CHEM-006", 3, 2), ("SAF-007", 2, 1)], "secondary"),
        ("铜箔产线设备工程师", "2-02-07-04", [("ELEC-003", 4, 3), ("MECH-006", 3, 2), ("DIG-003", 3, 2)], "associate"),
    ],
    "aluminium": [
        ("氧化铝制取工", "6-17-05-01", [("ALU-001", 4, 3), ("CHEM-001", 3, 2), ("SAF-002", 3, 1)], "secondary"),
        ("铝电解工", "6-17-05-02", [("ALU-002", 4, 3), ("MET-004", 3, 2), ("SAF-007", 3, 2)], "secondary"),
        ("铝合金熔铸工", "6-18-02-01", [("ALU-003", 4, 3), ("MECH-010", 3, 2), ("SAF-002", 2, 1)], "secondary"),
        ("铝板带轧制工", "6-17-07-01", [("ALU-004", 4, 3), ("ALU-008", 3, 2), ("ELEC-003", 2, 1)], "secondary"),
        ("铝箔轧制工", "6-17-07-01", [("ALU-005", 4, 3), ("ALU-008", 3, 2)], "secondary"),
        ("铝型材挤压工", "6-17-07-02", [("ALU-006", 3, 3), ("ALU-007", 3, 2), ("MECH-007", 2, 1)], "secondary"),
        ("铝加工质检员", "6-31-03-05", [("ALU-008", 4, 3), ("QUA-002", 3, 2), ("QUA-006", 3, 2)], "associate"),
    ],
    "coal": [
        ("综采工作面操作工", "6-16-01-02", [("MIN-001", 4, 3), ("MIN-005", 3, 2), ("SAF-002", 3, 2)], "secondary"),
        ("掘进机司机", "6-16-01-01", [("MIN-002", 4, 3), ("MIN-010", 2, 1), ("SAF-002", 3, 2)], "secondary"),
        ("瓦斯检查工", "6-16-01-06", [("MIN-004", 4, 3), ("MIN-003", 3, 3), ("SAF-003", 3, 2)], "secondary"),
        ("矿井提升机司机", "6-16-01-04", [("MIN-005", 4, 3), ("ELEC-001", 3, 2), ("SAF-008", 3, 2)], "secondary"),
        ("矿山机电维修工", "6-31-01-02", [("MIN-010", 4, 3), ("ELEC-002", 3, 2), ("MECH-007", 3, 2)], "associate"),
        ("智能矿山运维员", "6-31-01-10", [("MIN-009", 4, 3), ("DIG-001", 3, 2), ("ELEC-003", 3, 2)], "associate"),
        ("煤质化验员", "6-31-03-01", [("MIN-008", 4, 3), ("QUA-003", 3, 2)], "secondary"),
        ("选煤工", "6-16-02-02", [("MIN-008", 2, 1), ("MECH-006", 2, 1), ("SAF-007", 2, 1)], "short_term"),
    ],
    "chemicals": [
        ("化工总控工", "6-11-01-03", [("CHEM-002", 4, 3), ("CHEM-001", 3, 2), ("CHEM-007", 3, 2), ("SAF-002", 3, 1)], "associate"),
        ("化工单元操作工", "6-11-01-02", [("CHEM-001", 4, 3), ("CHEM-008", 2, 1), ("SAF-004", 3, 2)], "secondary"),
        ("煤气化操作工", "6-07-03-01", [("CHEM-003", 4, 3), ("CHEM-002", 3, 2), ("SAF-003", 3, 2)], "secondary"),
        ("精细化工合成工", "6-11-01-04", [("CHEM-004", 4, 3), ("CHEM-006", 3, 2), ("CHEM-007", 3, 2)], "associate"),
        ("化工仪表维修工", "6-31-01-05", [("CHEM-005", 4, 3), ("ELEC-009", 3, 2), ("ELEC-003", 2, 1)], "associate"),
        ("化学检验员", "6-31-03-01", [("CHEM-006", 4, 3), ("QUA-003", 3, 2), ("QUA-005", 2, 1)], "associate"),
        ("化工工艺工程师", "2-02-06-03", [("CHEM-002", 4, 3), ("CHEM-003", 4, 2), ("CHEM-009", 3, 2), ("DIG-002", 3, 1)], "bachelor"),
        ("环保设施操作工", "6-11-01-02", [("CHEM-009", 3, 3), ("SAF-007", 2, 1)], "short_term"),
    ],
    "vehicles": [
        ("汽车装调工", "6-22-02-01", [("VEH-001", 4, 3), ("VEH-008", 3, 2), ("ELEC-007", 2, 1)], "secondary"),
        ("挂车底盘焊工", "6-18-02-04", [("VEH-005", 3, 3), ("MECH-004", 4, 3), ("VEH-003", 3, 2)], "secondary"),
        ("专用车改装技术员", "2-02-07-07", [("VEH-002", 4, 3), ("MECH-009", 3, 2), ("VEH-001", 3, 1)], "associate"),
        ("汽车涂装工", "6-18-04-02", [("VEH-004", 4, 3), ("SAF-007", 3, 2)], "secondary"),
        ("新能源汽车电控技术员", "2-02-07-07", [("VEH-006", 4, 3), ("ELEC-003", 3, 2), ("VEH-007", 3, 1)], "associate"),
        ("整车检验员", "6-31-03-05", [("VEH-008", 4, 3), ("QUA-002", 3, 2), ("QUA-006", 3, 1)], "associate"),
        ("数控车工", "6-18-01-07", [("MECH-003", 4, 3), ("MECH-001", 3, 2)], "secondary"),
    ],
    "food": [
        ("调味品生产操作工", "6-02-04-02", [("FOOD-002", 4, 3), ("FOOD-009", 3, 2), ("FOOD-007", 2, 1)], "secondary"),
        ("速冻食品加工工", "6-01-05-01", [("FOOD-003", 3, 3), ("FOOD-004", 3, 2), ("FOOD-001", 3, 2)], "short_term"),
        ("食品检验员", "4-08-05-01", [("FOOD-005", 4, 3), ("FOOD-006", 4, 3), ("QUA-001", 2, 1)], "associate"),
        ("果蔬加工工", "6-01-05-01", [("FOOD-008", 3, 3), ("FOOD-001", 3, 2), ("FOOD-004", 2, 1)], "secondary"),
        ("食品质量主管", "2-02-27-03", [("FOOD-007", 4, 3), ("QUA-001", 4, 3), ("QUA-002", 3, 2)], "associate"),
        ("酿造工", "6-02-06-03", [("FOOD-010", 4, 3), ("FOOD-001", 3, 2), ("FOOD-005", 2, 1)], "secondary"),
        ("食品设备维修工", "6-31-01-02", [("FOOD-009", 4, 3), ("ELEC-001", 3, 2), ("MECH-006", 3, 1)], "secondary"),
        ("电商运营专员", "4-01-02-02", [("DIG-007", 4, 3), ("DIG-006", 3, 1)], "associate"),
    ],
    "logistics": [
        ("仓储管理员", "4-02-06-01", [("LOG-001", 4, 3), ("LOG-005", 3, 2), ("DIG-004", 2, 1)], "secondary"),
        ("叉车司机", "6-30-05-01", [("LOG-002", 4, 3), ("SAF-008", 3, 2)], "short_term"),
        ("配送调度员", "4-02-06-03", [("LOG-003", 4, 3), ("LOG-005", 3, 2), ("LOG-006", 2, 1)], "associate"),
        ("冷链物流专员", "4-02-06-04", [("LOG-004", 4, 3), ("LOG-001", 3, 2), ("FOOD-007", 2, 1)], "associate"),
        ("理货员", "4-02-06-02", [("LOG-001", 3, 2), ("LOG-002", 2, 1)], "short_term"),
        ("危货运输调度员", "4-02-05-03", [("LOG-007", 4, 3), ("CHEM-007", 3, 2), ("LOG-003", 3, 2)], "associate"),
        ("多式联运业务员", "4-02-05-03", [("LOG-008", 4, 3), ("LOG-006", 3, 2), ("DIG-004", 3, 1)], "associate"),
        ("货运驾驶员", "4-02-02-02", [("LOG-003", 2, 1), ("SAF-001", 3, 2)], "short_term"),
    ],
    "software": [
        ("Java开发工程师", "2-02-10-03", [("SW-001", 4, 3), ("SW-003", 3, 2), ("SW-009", 2, 1)], "associate"),
        ("Web前端开发工程师", "2-02-10-03", [("SW-002", 4, 3), ("SW-007", 2, 1)], "associate"),
        ("软件测试员", "4-04-05-02", [("SW-004", 4, 3), ("SW-003", 2, 1), ("SW-006", 2, 1)], "associate"),
        ("运维工程师", "2-02-10-12", [("SW-005", 4, 3), ("SW-009", 3, 2), ("SW-008", 3, 2)], "associate"),
        ("数据分析师", "2-02-10-11", [("DIG-002", 4, 3), ("SW-006", 3, 2), ("SW-003", 3, 2)], "bachelor"),
        ("工业软件实施工程师", "2-02-10-05", [("SW-010", 4, 3), ("DIG-003", 3, 2), ("DIG-004", 3, 2), ("DIG-001", 3, 1)], "associate"),
        ("AI应用开发工程师", "2-02-10-09", [("DIG-008", 4, 3), ("SW-006", 4, 3), ("DIG-002", 3, 1)], "bachelor"),
        ("网络安全工程师", "2-02-10-07", [("SW-008", 4, 3), ("SW-005", 3, 2)], "associate"),
    ],
    "machinery": [
        ("数控加工中心操作工", "6-18-01-07", [("MECH-003", 4, 3), ("MECH-001", 3, 2), ("MECH-009", 2, 1)], "secondary"),
        ("装配钳工", "6-20-01-01", [("MECH-005", 4, 3), ("MECH-001", 3, 2), ("MECH-007", 3, 1)], "secondary"),
        ("焊工", "6-18-02-04", [("MECH-004", 4, 3), ("MECH-001", 2, 1), ("QUA-004", 2, 1)], "secondary"),
        ("机械设计工程师", "2-02-07-01", [("MECH-009", 4, 3), ("MECH-001", 4, 2), ("DIG-005", 2, 1)], "bachelor"),
        ("电气装配工", "6-31-01-03", [("ELEC-007", 4, 3), ("ELEC-003", 3, 2), ("ELEC-001", 3, 2)], "secondary"),
        ("设备点检员", "6-31-01-01", [("MECH-006", 4, 3), ("ELEC-005", 3, 2), ("QUA-008", 2, 1)], "associate"),
        ("工业机器人操作员", "6-30-99-00", [("ELEC-008", 4, 3), ("ELEC-003", 3, 2)], "associate"),
        ("铸造工", "6-18-02-01", [("MECH-010", 4, 3), ("SAF-007", 2, 1)], "secondary"),
    ],
    "materials": [
        ("耐材成型工", "6-18-02-01", [("MECH-010", 3, 3), ("QUA-006", 3, 2), ("SAF-007", 3, 2)], "secondary"),
        ("窑炉操作工", "6-17-04-02", [("MET-004", 4, 3), ("ELEC-009", 2, 1), ("SAF-002", 3, 2)], "secondary"),
        ("理化检验员", "6-31-03-02", [("QUA-003", 4, 3), ("QUA-005", 3, 2)], "associate"),
        ("质量体系专员", "2-02-27-03", [("QUA-001", 4, 3), ("QUA-002", 3, 2), ("QUA-007", 3, 2)], "associate"),
    ],
    "mining": [
        ("露天采矿工", "6-16-01-03", [("MIN-006", 4, 3), ("MIN-007", 3, 2), ("SAF-002", 3, 2)], "secondary"),
        ("钼精矿浮选工", "6-16-02-01", [("GLD-002", 3, 3), ("MET-008", 2, 1)], "secondary"),
        ("爆破工", "6-16-01-01", [("MIN-007", 4, 3), ("SAF-001", 4, 3)], "secondary"),
        ("矿山机修工", "6-31-01-02", [("MIN-010", 4, 3), ("MECH-007", 3, 2), ("MECH-004", 2, 1)], "secondary"),
        ("尾矿库管理员", "2-02-03-02", [("GLD-007", 4, 3), ("SAF-002", 3, 2), ("DIG-002", 2, 1)], "associate"),
    ],
    "training": [
        ("安全生产培训讲师", "2-02-28-01", [("SAF-001", 5, 3), ("SAF-002", 4, 3), ("SAF-003", 4, 2)], "associate"),
        ("电工实训指导教师", "6-31-01-03", [("ELEC-001", 5, 3), ("ELEC-002", 4, 2), ("ELEC-007", 4, 2)], "associate"),
    ],
}

# How many demands each profile's enterprises post: big employers post more.
DEMANDS_BY_SIZE = {"large": 7, "medium": 5, "small": 4, "micro": 3}

MODE_SUFFIX = {
    "order_class": "订单班",
    "apprenticeship": "现代学徒制",
    "internship": "顶岗实习",
    "employment": "招聘",
    "training_base": "实训基地共建",
}

# --- colleges and programs -----------------------------------------------------------

# (name, school_code, kind, county, username, [(specialty, level), ...]). School codes are
# made up; the first two colleges are the city's own higher vocational colleges.
COLLEGES = [
    ("三门峡职业技术学院", "14390", "higher_vocational", "411202", "col-smxzy",
     ["430501", "430502", "430504", "460101", "460103", "460301", "460305", "460306", "460701", "460702",
      "470201", "470205", "470208", "510201", "510203", "510205", "510211", "530801", "490101", "420901"]),
    ("三门峡社会管理职业学院", "14391", "higher_vocational", "411202", "col-smxsg",
     ["420904", "530701", "530805", "510202", "510206", "510207", "510209", "490102", "490104", "420901",
      "500211", "430102"]),
    ("三门峡技师学院", "H4101", "technician_college", "411202", "col-smxjs",
     ["660103", "660104", "660301", "660302", "700206", "460103", "460107", "460203", "420502"]),
    ("豫西应用技术职业大学", "14392", "vocational_undergraduate", "411202", "col-yxzd",
     ["230501", "260101", "260302", "260701", "270201", "310201", "310203", "330801"]),
    ("灵宝市职业技术学校", "S4101", "secondary_vocational", "411282", "col-lbzj",
     ["630501", "660103", "660302", "690101", "710201", "730801"]),
    ("义马市职业教育中心", "S4102", "secondary_vocational", "411281", "col-ymzj",
     ["620501", "670201", "660301", "660104", "710201"]),
    ("渑池县职业教育中心", "S4103", "secondary_vocational", "411221", "col-mczj",
     ["690101", "670201", "660302", "730801"]),
    ("卢氏县职业教育中心", "S4104", "secondary_vocational", "411224", "col-lszj",
     ["690101", "710201", "700206"]),
    ("陕州区职业技能培训中心", "", "training_center", "411203", "col-szpx",
     ["420901", "660104", "730801", "430102", "490101"]),
]

COLLEGE_LEVEL = {
    "higher_vocational": "associate",
    "vocational_undergraduate": "bachelor",
    "secondary_vocational": "secondary",
    "technician_college": "secondary",
    "training_center": "short_term",
}


def main():
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    phones = set()
    enterprises, usccs = make_enterprises(rng, phones)
    colleges = make_colleges(rng, phones)
    programs = make_programs(rng)
    demands = make_demands(rng, usccs)
    talents = make_talents(rng, phones)
    write("enterprises.csv", ["name", "uscc", "region_code", "industry_code", "size", "address",
                              "contact_name", "contact_phone", "contact_email", "username"], enterprises)
    write("colleges.csv", ["name", "school_code", "kind", "region_code", "address", "contact_name",
                           "contact_phone", "contact_email", "username"], colleges)
    write("programs.csv", ["college_name", "title", "specialty_code", "level", "skills", "capacity", "modes",
                           "region_code", "starts_on", "ends_on", "status"], programs)
    write("demands.csv", ["enterprise_uscc", "title", "occupation_code", "skills", "headcount", "min_level",
                          "mode", "region_code", "starts_on", "ends_on", "status"], demands)
    write("talents.csv", ["source", "external_id", "name", "phone", "skills", "specialty_code",
                          "education_level", "desired_occupation_codes", "region_codes", "available_from",
                          "share_with_enterprises", "consent_given_at"], talents)


def address(rng, county):
    return f"河南省三门峡市{COUNTIES[county]}{rng.choice(STREETS[county])}{rng.randint(1, 299)}号"


def make_enterprises(rng, phones):
    rows, usccs, seen = [], {}, set()
    for name, username, county, industry, size, profile in ENTERPRISES:
        while True:
            # 9 = 市场监管 registration, 1 = enterprise, the county's area code, then an
            # organization-code body in the post-2015 "MA…" style.
            body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
            code = uscc_complete("91" + county + body)
            if code not in seen:
                seen.add(code)
                break
        usccs[name] = (code, county, profile, size)
        contact = person_name(rng)
        rows.append([name, code, county, industry, size, address(rng, county), contact, phone(rng, phones),
                     f"{username.removeprefix('ent-')}@example.com", username])
    return rows, usccs


def make_colleges(rng, phones):
    rows = []
    for name, school_code, kind, county, username, _ in COLLEGES:
        rows.append([name, school_code, kind, county, address(rng, county), person_name(rng),
                     phone(rng, phones), f"{username.removeprefix('col-')}@example.com", username])
    return rows


def program_skills(rng, specialty):
    pool = SPECIALTY_SKILLS[specialty]
    count = min(len(pool), rng.randint(2, 6))
    core = pool[:2]
    chosen = core + rng.sample(pool[2:], count - 2)
    return ";".join(f"{code}:{rng.randint(2, 5)}" for code in chosen)


def make_programs(rng):
    rows = []
    for name, _, kind, county, _, specialties in COLLEGES:
        for specialty in specialties:
            # Most specialties run one program; about a third also run a short course.
            rounds = 2 if rng.random() < 0.34 and kind != "training_center" else 1
            for round_ in range(rounds):
                rows.append(program(rng, name, kind, county, specialty, short=round_ == 1))
    return rows


def program(rng, college, kind, county, specialty, short):
    spec_name = SPECIALTIES[specialty]["name"]
    year = rng.choice([2026, 2027])
    level = COLLEGE_LEVEL[kind]
    if kind == "technician_college" and SPECIALTIES[specialty]["level"] == "associate":
        level = "associate"  # 高级工班, equivalent to 大专
    if short or level == "short_term":
        level = "short_term"
        title = f"{spec_name}{rng.choice(['岗前技能培训', '短期技能提升班', '企业新员工培训'])}（{year}年）"
        modes = ["training_base", rng.choice(["employment", "internship"])]
        starts_on, ends_on = period(rng, f"{year}-03-01", f"{year}-11-30", 20, 120)
        capacity = rng.randint(10, 60)
    else:
        style = rng.choice(["order_class", "order_class", "apprenticeship", "internship"])
        if style == "order_class":
            title = f"{spec_name}{year}级{rng.choice(ENTERPRISES)[0]}订单班"
            modes = ["order_class", "employment"]
        elif style == "apprenticeship":
            title = f"{spec_name}{year}级现代学徒制班"
            modes = ["apprenticeship", "internship"]
        else:
            title = f"{spec_name}{year}级校企合作实训班"
            modes = ["internship", "training_base"]
        if rng.random() < 0.4:
            modes.append(rng.choice([m for m in MODE_SUFFIX if m not in modes]))
        starts_on = f"{year}-09-01"
        # A class runs one or two school years; the demo horizon ends in 2028.
        ends_on = f"{min(year + rng.choice([1, 2]), 2028)}-07-{rng.choice([10, 15, 20])}"
        capacity = rng.choice([20, 25, 30, 40, 45, 50, 60, 80, 100, 120])
    status = "draft" if rng.random() < 0.08 else "published"
    return [college, title, specialty, level, program_skills(rng, specialty), str(capacity), ";".join(modes),
            county, starts_on, ends_on, status]


def make_demands(rng, usccs):
    rows = []
    for name, (code, county, profile, size) in usccs.items():
        templates = PROFILES[profile]
        count = DEMANDS_BY_SIZE[size] if profile != "training" else 2
        order = rng.sample(range(len(templates)), len(templates))
        for index in range(count):
            role, occupation, skills, min_level = templates[order[index % len(order)]]
            mode = rng.choice(list(MODE_SUFFIX))
            if min_level == "short_term" and mode == "order_class":
                mode = "employment"
            title = f"{role}{MODE_SUFFIX[mode]}"
            if index >= len(order):
                title += f"（{2027 if index % 2 else 2026}年第二批）"
            chosen = [list(s) for s in skills]
            # Jitter levels and now and then add a general skill, so scores spread out.
            for s in chosen:
                s[1] = max(1, min(5, s[1] + rng.choice([-1, 0, 0, 1])))
            if rng.random() < 0.35 and len(chosen) < 6:
                extra = rng.choice([c for c in group(rng.choice(["SAF", "QUA", "DIG"])) if c not in [s[0] for s in chosen]])
                chosen.append([extra, rng.randint(1, 3), 1])
            if rng.random() < 0.04:
                chosen = []  # "we train on the job": occupation only
            starts_on, ends_on = period(rng, "2026-03-01", "2027-09-01", 60, 720)
            headcount = rng.randint(1, 60) if mode != "employment" else rng.randint(1, 20)
            status = "closed" if rng.random() < 0.08 else "open"
            rows.append([code, title, occupation, ";".join(f"{c}:{l}:{w}" for c, l, w in chosen), str(headcount),
                         min_level, mode, county, starts_on, ends_on, status])
    return rows


def make_talents(rng, phones):
    rows = []
    specialties = sorted(SPECIALTIES)
    counties = sorted(COUNTIES)
    for number in range(1, 541):
        specialty = rng.choice(specialties)
        level = SPECIALTIES[specialty]["level"]
        if rng.random() < 0.1:
            level = "short_term"
        pool = SPECIALTY_SKILLS[specialty]
        count = rng.randint(0, min(6, len(pool))) if rng.random() < 0.05 else rng.randint(1, min(6, len(pool)))
        skills = rng.sample(pool, count)
        if skills and rng.random() < 0.2:
            other = rng.choice([c for c in sorted(SKILLS) if c not in skills])
            skills.append(other)
        related = SPECIALTIES[specialty]["related_occupation_codes"].split(";")
        desired = rng.sample(related, rng.randint(0, min(3, len(related))))
        regions = rng.sample(counties, rng.choice([0, 1, 1, 1, 2, 2, 3]))
        if rng.random() < 0.15:
            regions = (regions + [rng.choice(OUTSIDE_REGIONS)])[-3:]
        consent = datetime.datetime(2026, 1, 5, 8, 0) + datetime.timedelta(
            days=rng.randrange(120), minutes=rng.randrange(600))
        rows.append([
            "talent-web", f"TW{number:06d}", person_name(rng), phone(rng, phones),
            ";".join(f"{c}:{rng.randint(1, 5)}" for c in skills), specialty, level,
            ";".join(desired), ";".join(regions), random_date(rng, "2026-06-01", "2027-09-01").isoformat(),
            "true" if rng.random() < 0.8 else "false", consent.strftime("%Y-%m-%dT%H:%M:%SZ"),
        ])
    return rows


def write(filename, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    (OUT / filename).write_text(buffer.getvalue(), encoding="utf-8")
    print(f"{filename}: {len(rows)} rows")


if __name__ == "__main__":
    main()
