"""Did-you-mean for keywords: rank a mistyped word against the keywords that may stand where it is.

Staff type Chinese with a pinyin input method, so the common slips are homophones (分直 for 分值),
look-alikes (舍人 for 舍入) and words that mean the same (分数, 权重 for 分值). Edit distance alone
ranks 得分 as close to 分数 as 分值 is. Here each candidate keyword is scored by

- position: the same character at the same place counts 1, the same pinyin 0.8, a look-alike 0.7;
  a shared character at another place 0.3; all divided by the longer length;
- meaning: a word of `SYNONYMS` scores 1 for its keyword;
- frequency: how often the keyword is written at this place (`FREQUENCY`, counted in the shipped
  rulesets and test cases: after a target comes 分值 far more often than 得分), which breaks ties.

Latin words (English keywords) are compared with difflib's ratio. Pinyin comes from `PINYIN`, the
toneless syllables of the keywords' characters, each with the characters of that sound among the
3,755 most common (GB 2312 level 1), made once with pypinyin; no dependency at run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

THRESHOLD = 0.4  # below this resemblance a word suggests nothing
LATIN_THRESHOLD = 0.6  # difflib's own cutoff, for English keywords

# Words staff use for a keyword (from the self-evaluation tables' own column names).
SYNONYMS: dict[str, str] = {
    "分数": "分值",
    "权重": "分值",
    "满分": "分值",
    "标准分": "分值",
    "指标值": "目标",
    "目标值": "目标",
    "年度指标值": "目标",
    "实际值": "实际",
    "完成值": "实际",
    "实际完成值": "实际",
    "评分方法": "方法",
    "计分方法": "方法",
    "取整": "舍入",
    "保留": "舍入",
    "分数线": "等级",
    "评级": "等级",
}

# How often each keyword is written (in rulesets/ and tests/cases/, at the option position).
FREQUENCY: dict[str, int] = {"分值": 544, "目标": 525, "实际": 140, "得分": 71, "舍入": 41, "方法": 21}

# Characters that look like a keyword's character (typed by handwriting or shape input, or misread).
LOOK_ALIKE: dict[str, str] = {
    "入": "人八",
    "值": "直植置",
    "目": "日自且",
    "量": "重",
    "项": "顶",
    "采": "菜",
    "用": "甩",
    "明": "朋",
    "方": "万",
    "得": "待",
    "超": "趋",
    "扣": "和如",
    "减": "咸",
    "位": "住立",
    "则": "侧测",
    "实": "买",
    "舍": "含",
    "额": "颖",
}

# Toneless pinyin → the common characters with that sound (only the syllables of keyword characters).
PINYIN: dict[str, str] = {
    "ban": "斑班搬扳般颁板版扮拌伴瓣半办绊",
    "bi": "逼鼻比鄙笔彼碧蓖蔽毕毙毖币庇痹闭敝弊必壁臂避陛",
    "biao": "标彪膘表",
    "bing": "兵冰柄丙秉饼炳病并",
    "bu": "捕哺补埠不布步簿部怖",
    "cai": "猜裁材才财睬踩采彩菜蔡",
    "chao": "超抄钞朝嘲潮巢吵炒",
    "da": "搭达答瘩打大",
    "dan": "耽担丹单郸掸胆旦氮但惮淡诞弹蛋",
    "dang": "当挡党荡档",
    "de": "德得的",
    "deng": "蹬灯登等瞪凳邓",
    "di": "堤低滴迪敌笛狄涤翟嫡抵底地蒂第帝弟递缔",
    "ding": "丁盯叮钉顶鼎锭定订",
    "du": "督毒犊独读堵睹赌杜镀肚度渡妒",
    "e": "蛾峨鹅俄额讹娥恶厄扼遏鄂饿",
    "fa": "发罚筏伐乏阀法珐",
    "fan": "藩帆番翻樊矾钒繁凡烦反返范贩犯饭泛",
    "fang": "坊芳方肪房防妨仿访纺放",
    "fei": "菲非啡飞肥匪诽吠肺废沸费",
    "fen": "芬酚吩氛分纷坟焚汾粉奋份忿愤粪",
    "fou": "否",
    "gou": "钩勾沟苟狗垢构购够",
    "guan": "棺关官冠观管馆罐惯灌贯",
    "guo": "锅郭国果裹过",
    "he": "呵喝荷菏核禾和何合盒阂河涸赫褐鹤贺",
    "huo": "豁活伙火获或惑霍货祸",
    "ji": "击圾基机畸稽积箕肌饥迹激讥鸡姬绩缉吉极棘辑籍集及急疾汲"
    "即嫉级挤几脊己蓟技冀季伎祭剂悸济寄寂计记既忌际妓继纪藉",
    "jian": "歼监坚尖笺间煎兼肩艰奸缄茧检柬碱硷拣捡简俭剪减荐鉴践贱见键箭件健舰剑饯渐溅涧建",
    "jie": "揭接皆秸街阶截劫节杰捷睫竭洁结解姐戒芥界借介疥诫届",
    "jin": "巾筋斤金今津襟紧锦仅谨进靳晋禁近烬浸尽劲",
    "ju": "桔鞠拘狙疽居驹菊局咀矩举沮聚拒据巨具距踞锯俱句惧炬剧",
    "kou": "抠口扣寇",
    "li": "厘梨犁黎篱狸离漓理李里鲤礼莉荔吏栗丽厉励砾历利傈例俐痢立粒沥隶力璃哩",
    "liang": "粮凉梁粱良两辆量晾亮谅",
    "lv": "驴吕铝侣旅履屡缕虑氯律率滤绿",
    "me": "么",
    "men": "门闷们",
    "ming": "明螟鸣铭名命",
    "mu": "拇牡亩姆母墓暮幕募慕木目睦牧穆",
    "na": "拿哪呐钠那娜纳",
    "nian": "蔫拈年碾撵捻念辗",
    "ping": "乒坪苹萍平凭瓶评屏",
    "qi": "期欺栖戚妻七凄漆柒沏其棋奇歧畦崎脐齐旗祈祁骑起岂乞企启契砌器气迄弃汽泣讫",
    "qie": "切且怯窃",
    "qu": "趋区蛆曲躯屈驱渠取娶龋趣去",
    "ru": "茹蠕儒孺如辱乳汝入褥",
    "ruo": "若弱",
    "she": "奢赊蛇舌舍赦摄射慑涉社设",
    "shi": "匙师失狮施湿诗尸虱十石拾时食蚀实识史矢使屎驶始式示士世柿事拭誓逝势是嗜噬适仕侍释饰氏市恃室视试似",
    "shuo": "说硕朔烁",
    "suan": "酸蒜算",
    "wei": "威巍微危韦违桅围唯惟为潍维苇萎委伟伪尾纬未蔚味畏胃喂魏位渭谓尉慰卫",
    "xian": "掀锨先仙鲜纤咸贤衔舷闲涎弦嫌显险现献县腺馅羡宪陷限线",
    "xiang": "相厢镶香箱襄湘乡翔祥详想响享项巷橡像向象",
    "xing": "星腥猩惺兴刑型形邢行醒幸杏性姓",
    "xu": "墟戌需虚嘘须徐许蓄酗叙旭序恤絮婿绪续吁",
    "yi": "一壹医揖铱依伊衣颐夷遗移仪胰疑沂宜姨彝椅蚁倚已乙矣以"
    "艺抑易邑屹亿役臆逸肄疫亦裔意毅忆义益溢诣议谊译异翼翌绎",
    "yong": "拥佣臃痈庸雍踊蛹咏泳涌永恿勇用",
    "yu": "迂淤于盂榆虞愚舆余俞逾鱼愉渝渔隅予娱雨与屿禹宇语羽玉域芋郁遇喻峪御愈欲狱育誉浴寓裕预豫驭",
    "ze": "责择则泽",
    "zhe": "遮折哲蛰辙者锗蔗这浙着",
    "zheng": "蒸挣睁征狰争怔整拯正政症郑证",
    "zhi": "芝枝支吱蜘知肢脂汁之织职直植殖执值侄址指止趾只旨纸志挚掷至致置帜峙制智秩稚质炙痔滞治窒",
    "zhu": "珠株蛛朱猪诸诛逐竹烛煮拄瞩嘱主著柱助蛀贮铸筑住注祝驻",
    "zong": "鬃棕踪宗综总纵",
}
_SOUND: dict[str, str] = {ch: syllable for syllable, chars in PINYIN.items() for ch in chars}


def closest_keyword(word: str, keywords: Iterable[str]) -> str | None:
    """The keyword `word` was most likely meant to be, or None if none resembles it."""
    scored = [(resemblance(word, k), k) for k in set(keywords)]
    likely = [(score + _prior(k), k) for score, k in scored if score >= THRESHOLD]
    return max(likely)[1] if likely else None


def resemblance(word: str, keyword: str) -> float:
    """How much `word` looks or sounds like `keyword`, from 0 to 1."""
    if SYNONYMS.get(word) == keyword:
        return 1.0
    if word.isascii() or keyword.isascii():
        if word.isascii() != keyword.isascii():
            return 0.0
        ratio = SequenceMatcher(None, word.lower(), keyword.lower()).ratio()
        return ratio if ratio >= LATIN_THRESHOLD else 0.0
    aligned = sum(_alike(a, b) for a, b in zip(word, keyword, strict=False))
    elsewhere = sum(0.3 for i, ch in enumerate(word) if ch in keyword and keyword[i : i + 1] != ch)
    return min((aligned + elsewhere) / max(len(word), len(keyword)), 1.0)


def _alike(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if a in _SOUND and _SOUND.get(a) == _SOUND.get(b):
        return 0.8
    if a in LOOK_ALIKE.get(b, "") or b in LOOK_ALIKE.get(a, ""):
        return 0.7
    return 0.0


def _prior(keyword: str) -> float:
    """A small bonus for the keywords written most often (at most 0.1: it decides ties, not more)."""
    return 0.1 * FREQUENCY.get(keyword, 0) / max(FREQUENCY.values())
