"""Word lists for the demo county: surnames, given names and place names (Hunan flavour)."""


def _words(text):
    return text.split()


# Surnames with rough weights (common in southern Hunan).
SURNAMES = [
    ("李", 9),
    ("王", 7),
    ("张", 7),
    ("刘", 7),
    ("陈", 6),
    ("杨", 5),
    ("黄", 5),
    ("唐", 5),
    ("周", 4),
    ("吴", 4),
    ("邓", 4),
    ("蒋", 4),
    ("谢", 3),
    ("胡", 3),
    ("赵", 3),
    ("彭", 3),
    ("何", 3),
    ("曾", 3),
    ("雷", 2),
    ("廖", 2),
    ("罗", 3),
    ("欧阳", 1),
    ("邝", 1),
    ("盘", 1),
    ("钟", 2),
    ("邹", 2),
    ("付", 2),
    ("肖", 2),
    ("蒙", 1),
    ("成", 1),
    ("黎", 1),
    ("田", 1),
]

MALE_CHARS = _words(
    "伟 强 军 平 勇 杰 涛 明 超 斌 辉 华 建 国 文 志 海 波 林 峰 刚 东 红 春 德 荣 良 兴 福 贵 "
    "忠 发 祥 生 成 永 宏 俊 晓 宇 浩 然 鹏 磊 昊 泽 轩 睿 博 毅 振 松 柏 水 金 银 才 富 旺 顺"
)

FEMALE_CHARS = _words(
    "芳 娟 敏 静 丽 艳 霞 燕 玲 萍 秀 英 兰 梅 琴 红 云 莲 凤 翠 桂 珍 淑 慧 婷 雪 琳 欣 怡 "
    "佳 悦 雨 诗 梦 瑶 莉 娜 琼 晶 妹 香 菊 花 群 荷 月 春 巧 美"
)

# Township name stems; a township is "<stem>镇", "<stem>乡" or, for the seat, "<stem>街道".
TOWNSHIP_STEMS = _words(
    "青石 枫林 舜水 龙泉 竹园 白云 紫岭 双河 桃源 新田 塔山 土桥 太平 楠木 汇源 毛坪 "
    "犁头 荆竹 所城 浆洞 大桥 湘源 石门 河口 清溪 长铺 金陵 凤凰"
)

# Village name stems; "<stem>村" or "<stem>社区".
VILLAGE_STEMS = _words(
    "虎溪 大坪 新圩 毛俊 下洞 上坊 石塘 枫木 杉木 竹山 桐梓 花桥 荷叶 柏家 坪头 茶园 "
    "樟树 松柏 黄泥 清水 沙田 高岭 源头 岭脚 田心 洞口 坳头 塘下 凤形 龙口 鹅塘 桂花 "
    "楠木 泉塘 官山 老屋 新屋 马头 石桥 水口 江边 岩口 牛头 猫仔 金盆 银坪 古城 油草 "
    "蒲竹 鲤鱼 燕窝 芦洪 竹管 火田 西山 东岭 南风 北坳 中和 长塘 圳头 背头 塘尾 岗背 "
    "岭头 湾里 坝上 冲口 排上 寨下 营盘 社下 庙前 井头 桥头 甲口 厦边 石灰 瑶下 庄头"
)

ROAD_WORDS = _words("人民 建设 和平 兴业 文明 民主 解放 新华 滨江 迎宾")

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n):
    """1 → 一, 12 → 十二, 23 → 二十三 (enough for unit numbering, n < 100)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_DIGITS[tens]
    return f"{head}十{CN_DIGITS[ones] if ones else ''}"


SURNAME_CHOICES = [name for name, _ in SURNAMES]
SURNAME_WEIGHTS = [weight for _, weight in SURNAMES]


def surname(rng):
    return rng.choices(SURNAME_CHOICES, SURNAME_WEIGHTS)[0]


def given_name(rng, male):
    chars = MALE_CHARS if male else FEMALE_CHARS
    if rng.random() < 0.25:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def person_name(rng, male, family=None):
    return (family or surname(rng)) + given_name(rng, male)
