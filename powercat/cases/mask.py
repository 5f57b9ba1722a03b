"""Personal data out of what is disclosed (docs/personal-data.md states these rules).

The practice of 执法决定公示 and 双公示: legal persons and their unified social credit code
in full; for natural persons the name partly masked (张*), and ID-card numbers, phone
numbers, home addresses, bank accounts and e-mail addresses removed.

Masking errs towards removing (fail closed):

- a party is a natural person unless it is clearly an organisation: a valid unified
  social credit code (GB 32100) or an organisation word at the end of its name; a
  相对人类型 such as 居民, 村民, 个人 makes it a natural person whatever the name;
- text is NFKC-normalised and stripped of invisible characters first, so full-width digits
  and zero-width joiners hide nothing;
- any run of 6 or more digits, separators between them counted as part of the run (IDs,
  phones, landlines, bank cards, however written) is removed, and so are e-mail addresses,
  address-like phrases and person names in a natural-person context (a known party, a
  name after 经营者/业主/当事人…, a name in brackets);
- names and codes of proven organisations are kept as they are.
"""

from __future__ import annotations

import re
import unicodedata

from .model import LEGAL, NATURAL, OTHER_ORG

REMOVED = "［已删除］"
KIND_ZH = {"id": "身份证号码", "phone": "电话号码", "bank": "银行账号", "address": "住址", "email": "电子邮箱",
           "digits": "6 位以上数字（证件号、电话或账号）", "name": "自然人姓名"}

# -- text normalisation -------------------------------------------------------------------

_INVISIBLE = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
_ASCII_KEPT = frozenset("@.-+/_~# ")


class _Fold(dict):
    """Code point → what normalise makes of it, computed once per character (str.translate)."""

    def __missing__(self, code: int):
        ch = chr(code)
        if ch.isascii():
            value = " " if ch in "\t\r\n" else ch if ch.isprintable() else None
        elif unicodedata.category(ch) in _INVISIBLE:
            value = None
        elif unicodedata.digit(ch, None) is not None:
            value = str(unicodedata.digit(ch))
        else:
            folded = unicodedata.normalize("NFKC", ch)
            value = folded if folded.isascii() and (folded.isalnum() or folded in _ASCII_KEPT) else ch
        self[code] = value
        return value


_FOLD = _Fold()


def normalise(text: str) -> str:
    """What NFKC would make of digits, Latin letters and the marks written in phone numbers
    and e-mail addresses (full-width １３８, ＠, －, ．, mathematical and circled digits …),
    invisible characters dropped, line breaks and tabs as spaces. Chinese punctuation such
    as （，。： is left as written, so what is published reads as the register wrote it."""
    return text.translate(_FOLD)


# -- what is removed ----------------------------------------------------------------------

# digits, with what people put between them (spaces, hyphens, dots, middle dots, slashes,
# brackets of an area code, dashes); a trailing X of an ID card; a leading + of +86
_SEP = r"[\s\-‐‑‒–—―﹣.·・•/_()（）\[\]【】:：,，、~]"
_ANY_DIGIT = r"(?:\d|[〇零幺一二三四五六七八九壹贰叁肆伍陆柒捌玖])"  # 幺: a 1 read out in a phone number
DIGIT_RUN = re.compile(rf"\+?{_ANY_DIGIT}(?:{_SEP}{{0,3}}{_ANY_DIGIT})*(?:{_SEP}?[Xx](?![A-Za-z]))?")
_CN_DIGITS = str.maketrans("〇零幺一二三四五六七八九壹贰叁肆伍陆柒捌玖", "001123456789123456789")
MIN_DIGITS = 6
EMAIL = re.compile(r"[\w.+\-]+\s*(?:@|＠|\(at\)|\[at\])\s*[\w\-]+(?:\s*\.\s*[\w\-]+)+", re.ASCII | re.IGNORECASE)
# address-like phrases: a living-place keyword and what follows it in the clause; a place
# ending in 村/小区/社区/屯; a numbered 组/队/栋/单元/楼/室/号
_CLAUSE_END = r"，,。；;！!？?\s（）()【】\[\]“”\"'"
ADDRESS = re.compile(
    rf"(?:住址|地址|住所|住在|住于|家住|家在|生活在|现住|现居|居住|暂住|寄住|租住|户籍|籍贯|户口|门牌)[:：]?[^{_CLAUSE_END}]{{0,40}}"
    rf"|[^{_CLAUSE_END}]{{0,12}}?(?:小区|社区|新村|花园|家园|公寓|大厦|屯|村(?![民委务级规镇]))"
    rf"(?:[^{_CLAUSE_END}]{{0,12}}?(?:\d|[一二三四五六七八九十百])+(?:号|组|队|栋|幢|单元|楼|层|室|户))*"
    rf"|[^{_CLAUSE_END}]{{0,12}}?(?:路|街|巷|弄|道)(?:\d|[一二三四五六七八九十百])+[^{_CLAUSE_END}]{{0,12}}"
    rf"|(?:\d|[一二三四五六七八九十百])+(?:组|队|栋|幢|单元|楼|层|室|号院|号楼)"  # a bare 12号 is a document's number
    rf"(?:[^{_CLAUSE_END}]{{0,6}}?(?:\d|[一二三四五六七八九十百])+(?:号|栋|幢|单元|楼|层|室|户))*")

# a contact written after its label: the rest of the clause goes (微信号 zhangsan_90, QQ 号 …)
CONTACT = re.compile(r"(?P<label>微信号?|QQ号?|qq号?|电子邮箱|邮箱|E-?mail|e-?mail|手机号码?|手机|电话号码|联系电话|电话|"
                     r"联系方式|身份证号码?|身份证|证件号码?|银行账号|银行卡号?|账号|卡号|护照号码?|护照|通行证号码?|通行证|"
                     r"回乡证号?|台胞证号?|居留证号?|驾驶证号?|驾照号?|社保卡号?|医保卡号?|车牌号码?|车牌|车架号|发动机号|"
                     r"抖音号?|快手号?|微博号?|支付宝账?号?|支付宝|钉钉号?)(?P<sep>[:：]?\s*)"
                     r"(?P<value>[A-Za-z0-9_\-.@+]{3,40})")

_ADDRESS_WORD = re.compile("住|居|址|家在|生活在|门牌|户籍|籍贯|户口|区|园|院|寓|厦|屯|村|路|街|巷|弄|道|组|队|栋|幢|单元|楼|层|室")

# 住 at the start of a clause, before a place (…，住青川市清河区人民路): the rest of the clause
LIVES_AT = re.compile(rf"(?<![\u4e00-\u9fff])住(?=[^{_CLAUSE_END}]{{0,8}}?(?:省|市|区|县|镇|乡|村|街道|路|街|组|屯))"
                      rf"[^{_CLAUSE_END}]{{1,40}}")
# a birth date (1990年1月1日出生, 1990-01-01生) and a vehicle plate (川A·12345)
BIRTH = re.compile(r"\d{4}\s*(?:年|[-/.])\s*\d{1,2}\s*(?:月|[-/.])\s*(?:\d{1,2}\s*日?)?\s*(?:出生|生人|生)")
PLATE = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]\s*[·.•\-]?\s*[A-HJ-NP-Z0-9]{5,6}",
                   re.IGNORECASE)

# the roles a natural person plays in a decision, and a name right after them
_ROLES = ("经营者", "业主", "店主", "户主", "老板", "负责人", "法定代表人", "法人代表", "投资人", "当事人", "申请人",
          "被申请人", "被处罚人", "相对人", "车主", "驾驶人", "驾驶员", "所有人", "联系人", "代理人", "委托人", "监护人",
          "家属", "举报人", "投诉人", "未成年人", "之子", "之女", "之妻", "之夫", "之父", "之母", "其子", "其女", "其妻", "其夫",
          "儿子", "女儿", "妻子", "丈夫", "父亲", "母亲", "姓名", "对象",
          "當事人", "經營者", "業主", "負責人", "申請人", "聯繫人", "車主")
_NAME = r"[\u4e00-\u9fff·•]{2,4}"
# what follows a role word when no name does (对当事人作出如下处罚, 责令当事人立即改正, 向申请人送达)
_NOT_A_NAME_START = ("(?:作出|立即|送达|主动|如下|依法|按照|依照|根据|应当|应该|没有|拒不|多次|逾期|未能|未按|未经|已经|已于|"
                     "违反|违法|擅自|负责|提出|提交|申请|办理|陈述|申辩|签收|签字|缴纳|改正|整改|进行|从事|经营|销售|使用|"
                     "持有|涉嫌|承担|享有|本人|名下|一案|姓名|名称|供述|供认|承认|交代|辩称|声称|表示|称|说|讲|批准|审批|签发|审核|决定|研究|讨论|陪同|到场|在场|及其|或者|以及|于其|于本|于当|于该|于此|向其|和其|应于|都在|都已|"
                     # single characters that are no surname (于, 和, 应, 向, 都 are: 当事人于小明 stays a name)
                     "与|及|的|在|对|将|把|被|自|从|所|等|未|已|因|不|也|均|并|即|就|还|又|再|须|需|要|可|能|会|该|其|之|系|为|是)")
ROLE_NAME = re.compile(rf"(?P<role>{'|'.join(_ROLES)})(?P<sep>[:：\s]*(?:[系为是](?=[\u4e00-\u9fff]{{2}}))?)"
                       rf"(?P<name>(?![系为是]|{_NOT_A_NAME_START}){_NAME})")
BRACKETED = re.compile(r"(?P<open>[（(\[【〔])(?P<body>[^（()）\[\]【】〔〕]{1,30})(?P<close>[)）\]】〕])")
# common surnames: a bracket holding one of these and 1–3 more characters reads as a name
SURNAMES = ("欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 西门 "
            "王 李 张 刘 陈 杨 赵 黄 周 吴 徐 孙 胡 朱 高 林 何 郭 马 罗 梁 宋 郑 谢 韩 唐 冯 于 董 萧 程 曹 袁 邓 许 傅 "
            "沈 曾 彭 吕 苏 卢 蒋 蔡 贾 丁 魏 薛 叶 阎 余 潘 杜 戴 夏 钟 汪 田 任 姜 范 方 石 姚 谭 廖 邹 熊 金 陆 郝 孔 "
            "白 崔 康 毛 邱 秦 江 史 顾 侯 邵 孟 龙 万 段 漕 钱 汤 尹 黎 易 常 武 乔 贺 赖 龚 文 庞 樊 兰 殷 施 陶 洪 翟 "
            "安 颜 倪 严 牛 温 芦 季 俞 章 鲁 葛 伍 韦 申 尤 毕 聂 丛 焦 向 柳 邢 路 岳 齐 沿 梅 莫 庄 辛 管 祝 左 涂 谷 "
            "祁 时 舒 耿 牟 卜 詹 关 苗 凌 费 纪 靳 盛 童 欧 甄 项 曲 成 游 阳 裴 席 卫 查 屈 鲍 位 覃 霍 翁 隋 植 甘 景 "
            "薄 单 包 司 柏 宁 柯 阮 桂 闵 解 强 柴 华 车 冉 房 边 辜 吉 饶 刁 瞿 戚 丘 古 米 池 滕 晋 苑 邬 臧 畅 宫 来 "
            "嵺 苟 全 褚 廉 简 娄 盖 符 奚 木 穆 党 燕 郎 邸 冀 谈 姬 屠 连 郜 晏 栾 郁 商 蒙 计 喻 揭 窦 迟 宇 敖 糜 鄢 "
            "冷 卓 花 仇 艾 蓝 都 巩 稽 井 练 仲 乐 虞 卞 封 竺 冼 原 官 衣 楚 佟 栗 匡 宗 应 台 巫 鞠 僧 桑 荆 谌 银 扬 "
            "明 沙 薄 伏 岑 习 胥 保 和 蔺 "
            # rarer ones of the 百家姓 that are no common word (危, 利, 权, 储 … are left out: 对危险品)
            "佘 邝 麦 晁 钮 嵇 邴 隗 宓 郗 钭 韶 蓟 邰 鄂 莘 逄 扈 郏 璩 濮 茹 宦 庾 阙 殳 蔚 夔 厍 訾 阚 乜 蒯 逯 桓 缑 亢 "
            "郈 谯 笪 荀 裘 羿 郦 雍 湛 禹 狄 茅 骆 昝 芮 蒲 闻人 赫连 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 仲孙 轩辕 钟离 "
            "闾丘 司空 呼延 百里 东郭 第五 拓跋 "
            # traditional forms (a party from Hong Kong, Macau or Taiwan)
            "陳 張 劉 楊 趙 黃 吳 孫 鄭 謝 韓 馮 蕭 鄧 許 呂 蘇 盧 蔣 賈 葉 閻 鍾 譚 鄒 陸 顧 龍 萬 錢 湯 喬 賀 賴 龔 "
            "歐陽 司馬 諸葛 東方 尉遲 長孫 夏侯 令狐 獨孤 南宮").split()
_SURNAME_START = re.compile("^(?:" + "|".join(sorted(set(SURNAMES), key=len, reverse=True)) + r")[\u4e00-\u9fff]{2}")
_SURNAME = re.compile("^(?:" + "|".join(sorted(set(SURNAMES), key=len, reverse=True)) + r")[\u4e00-\u9fff·]{1,3}$")

# -- names found by their context ---------------------------------------------------------
# A free text names people without brackets or role words: 对王小明罚款, 由李建国负责整改,
# 王大锤，男，, 孙二娘（女，45岁）, 宋江等3人, 刘备之子刘禅, 〔2025〕李四海1号. A name is a common
# surname and one or two more characters, right where such a context puts one; what follows
# it must end the name (a punctuation mark, or a word that starts the rest of the sentence),
# so 对王小明罚款 masks 王小明 and not 王小明罚. Every name found is then masked wherever it
# appears in the case's public fields (a second 王小明 without context included).
_SURNAME_ALT = "(?:" + "|".join(sorted(set(SURNAMES), key=len, reverse=True)) + ")"
_CANDIDATE = rf"{_SURNAME_ALT}[\u4e00-\u9fff]{{1,2}}?"
_AFTER_NAME = (r"(?=$|[，,。；;、：:（()）\s“”\"'！!？?\d]|罚款|处以|处罚|作出|予以|进行|负责|同意|提出|提交|申请|办理|实施|"
               r"警告|没收|吊销|缴纳|改正|整改|签收|签字|陈述|申辩|承担|违反|违法|擅自|无证|经营|销售|从事|出具|名下|本人|"
               r"一案|涉嫌|使用|持有|驾驶|非法|限期|立即|自行|主动|个人|先生|女士|同志|等|之|的|未|已|因|于|在|和|与|及|"
               r"供述|供认|承认|交代|辩称|声称|表示|签名|到案|分别|共同|二人|两人|夫妇|夫妻|母子|父子|一家|师傅|老人|"
               r"罰款|處以|處罰|責令|為|是|系|所|家|户|拒|不|将|把|被|向|对|现|已|称|说|讲)")
_TRIGGERS = ("对", "由", "经", "向", "责令", "给予", "将", "把", "被", "让", "委托", "告知", "通知", "约谈", "询问", "传唤", "系",
             "据", "称", "查获",
             # the same in traditional characters (a party from Hong Kong, Macau or Taiwan)
             "對", "經", "責令", "給予", "將", "讓", "據")
# words that join a list: a name after them only continues a list of names (对王小明、李小红罚款);
# alone they join any words (苗木、种子; 及时; 和管理), measured on the real lists' texts
_LIST_JOINS = r"(?:、|和|及|与|與|同|跟|以及)"
# what a trigger and a surname also spell: common words, not names
_NOT_NAMES = frozenset(
    "由于 于其 对于 关于 对方 及时 同时 经常 将来 与其 和平 经费 经过 经历 经济 查明 查实 查处 查获 查封 查验 查询 查看 单位 方面 方式 方法 "
    "方案 于是 全部 全面 安全 成立 成本 原因 原告 应当 应该 包括 包装 金额 车辆 车间 时间 时限 文件 文书 明确 明显 和解 万元 高度 "
    "计划 解除 司法 台账 保证 保存 保管 常规 管理 程序 花费 华侨 龙头 宁可 江河 石材 范围 章程 阳光 强制 强化 段落 申报 申请 申办 "
    "于法 于此 其他 其中 连续 康复 严重 严格 严禁 林业 林地 卫生 农业 国家 政府 公司 公安 公开 公民 公共 成员 成品 成年 "
    "时任 余额 余款 房屋 房产 贺词 史料 路段 路面 路线 路口 邮件 邮政 晋升 井下 池塘 水源 谷物 米面 宫殿 沙石 冷库 冷藏 "
    "单据 位素 许可 施工 管部 第五 关闭 项目 涂改 原材 房地 安装 纪机 纪人 原批 习惯 屠宰 保养 商务 原料 保护 游景 包庇 "
    "易爆 查阅 盖章 台标 计算 商标 苗木 台址 管路 黄磷 程建 关不 来源 季节 管道 阳台 涂污 车位 申辩 原稿 原许 安排 石油 "
    "单或 方处 保密 原登 封识 保质 封存 仲裁 管理 应当 查封 时协 和直 和依 文书 康养 "
    "叶片 文物 文化 文艺 金融 周边 周围 周期 杨树 柳树 景区 景点 商品 商户 商业 商铺 燕窝 党员 党组 宗教 官方 楚 古树 古建 易燃 易制 常住 常年 尚未 向社 向其 都市".split())
NAME_IN_CONTEXT = re.compile(
    rf"(?:{'|'.join(_TRIGGERS)})(?P<a>{_CANDIDATE}){_AFTER_NAME}"
    rf"|(?P<b>{_CANDIDATE})(?=\s*[，,（(]\s*[男女](?:[，,）)\s]|$)|同志|先生|女士|\s*[（(]\s*(?:公民)?(?:身份证|证件)|\s*[（(]\s*\d{{1,3}}\s*岁|等\s*(?:\d|[一二两三四五六七八九十几数多])*\s*(?:人|名))"
    rf"|(?:之|其)(?:子|女|妻|夫|父|母|兄|弟|姐|妹)(?P<c>{_CANDIDATE}){_AFTER_NAME}"
    rf"|[〕\]】）)](?P<d>{_SURNAME_ALT}[\u4e00-\u9fff]{{1,2}})(?=\s*\d)"
    # a name after a role word (经营者：钱小宝), or alone in brackets ((业主)钱小宝)
    rf"|(?:{'|'.join(_ROLES)})[:：\s]*(?:[系为是](?=[\u4e00-\u9fff]{{2}}))?(?P<f>{_CANDIDATE}){_AFTER_NAME}"
    rf"|[（(](?:{'|'.join(_ROLES)})?[:：\s]*(?P<g>{_SURNAME_ALT}[\u4e00-\u9fff]{{1,2}})[)）]"
    # a name in Latin letters (a foreigner, a passport spelling) after a trigger or a role word
    rf"|(?:{'|'.join(_TRIGGERS + _ROLES)})[:：\s]*(?P<e>[A-ZÀ-Þ][a-zß-ÿ]+(?:[ .·\-]+[A-ZÀ-Þ][a-zß-ÿ]*)+)")
# with someone: 与王五共同经营, 同赵大刚前往
TOGETHER_WITH = re.compile(rf"(?:{_LIST_JOINS[3:-1]})(?P<n>{_CANDIDATE})(?=共同|一起|一同|一道|合伙|合资|联合|前往|到场)")
# a transliterated name with a middle dot (阿卜杜拉·买买提): always a person's
DOTTED_NAME = re.compile(rf"[\u4e00-\u9fff]{{1,8}}(?:[·•・][\u4e00-\u9fff]{{1,8}})*[·•・][\u4e00-\u9fff]{{1,8}}?{_AFTER_NAME}")


def context_names(*texts: str | None) -> dict[str, str]:
    """Full name → masked name of every person a text names by context (see above)."""
    return context_names_strength(*texts)[0]


def context_names_strength(*texts: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """(every name found by context, the names found by a strong context only): a role word,
    brackets, ，男, （12岁）, 等3人, 之子, a 文书号, a dotted name. A name after a trigger such as
    对 or 经 is masked in its case but not looked for in every other case of the register, as
    such a context also precedes common words now and then (对许可…)."""
    found: dict[str, str] = {}
    strong: dict[str, str] = {}
    for text in texts:
        text = normalise(text or "")
        for match in NAME_IN_CONTEXT.finditer(text):
            group, name = next((g, v) for g, v in match.groupdict().items() if v)
            before = text[match.start() + match.group(0).find(name) - 1]  # the trigger's last character
            if not {name, name[:2], before + name[0]} & _NOT_NAMES and not _ORG.search(name):
                found[name] = mask_name(name)
                if group not in ("a", "e"):
                    strong[name] = found[name]
        for match in TOGETHER_WITH.finditer(text):  # 与王五共同经营
            name = match.group("n")
            if not {name, name[:2]} & _NOT_NAMES and not _ORG.search(name):
                found[name] = mask_name(name)
        todo = list(found)
        while todo:  # a list of names, either way: 对王小明、李小红和赵大刚罚款; 王大锤、李小红等3人
            name = todo.pop()
            for pattern in (rf"{re.escape(name)}{_LIST_JOINS}(?P<n>{_CANDIDATE}){_AFTER_NAME}",
                            rf"(?P<n>{_SURNAME_ALT}[\u4e00-\u9fff]{{1,2}}){_LIST_JOINS}{re.escape(name)}"):
                for match in re.finditer(pattern, text):
                    other = match.group("n")
                    if not {other, other[:2]} & _NOT_NAMES and not _ORG.search(other) and other not in found:
                        found[other] = mask_name(other)
                        todo.append(other)
                        if name in strong:
                            strong[other] = found[other]
        for match in DOTTED_NAME.finditer(text):
            found[match.group(0)] = strong[match.group(0)] = mask_name(match.group(0))
    return found, strong


# -- who is an organisation ---------------------------------------------------------------

# whole words at the end of a name; single characters that are also given names (园, 馆, 局,
# 站, 所 …) only inside a longer word, so 李小园 stays a person
_ORG_WORDS = (
    "有限责任公司", "股份有限公司", "有限公司", "分公司", "公司", "集团", "企业", "工厂", "厂", "商店", "小吃店", "店", "门市部",
    "门市", "经营部", "营业部", "服务部", "商行", "超市", "商场", "市场", "酒店", "宾馆", "旅馆", "饭店", "餐厅", "酒楼",
    "食堂", "工作室", "事务所", "研究院", "研究所", "设计院", "中心", "合作社", "联合社", "协会", "学会", "商会", "基金会",
    "促进会", "联合会", "学校", "小学", "中学", "大学", "学院", "幼儿园", "培训学校", "医院", "卫生院", "卫生室", "诊所",
    "门诊部", "药房", "药店", "银行", "信用社", "委员会", "村委会", "居委会", "管委会", "政府", "人民政府", "办事处",
    "管理局", "分局", "公安局", "派出所", "管理所", "管理站", "加油站", "充电站", "养殖场", "种植场", "农场", "林场",
    "牧场", "屠宰场", "砖厂", "煤矿", "矿业", "矿山", "电站", "水厂", "车队", "车行", "驾校", "网吧", "会所", "俱乐部",
    "影院", "剧院", "博物馆", "图书馆", "文化馆", "体育馆", "纪念馆", "美术馆", "展览馆", "科技馆", "档案馆", "公园",
    "游乐园", "产业园", "工业园", "物业", "出版社", "报社", "电视台", "广播电台", "杂志社", "代表处", "联络处", "分店",
    "分行", "支行", "营业所", "项目部", "工程处", "指挥部", "党支部", "支部", "总部",
)
_ORG = re.compile("(?:" + "|".join(sorted(_ORG_WORDS, key=len, reverse=True)) + ")$")
_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[)）]\s*$")
# 相对人类型 values that make a party a natural person whatever its name looks like
NATURAL_TYPES = ("自然人", "个人", "公民", "居民", "村民", "农户", "户主", "农民", "市民", "群众", "学生", "职工", "外籍人员",
                 "港澳台居民", "未成年人")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def is_uscc(code: str | None) -> bool:
    """A unified social credit code (GB 32100-2015) with a right check character, and not
    something that reads as an ID-card number (an 18-digit ID could pass by chance)."""
    code = normalise(code or "").strip().upper()
    if len(code) != 18 or any(ch not in _USCC_CHARS for ch in code) or looks_like_id(code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def uscc_check_char(body: str) -> str:
    """The 18th character of a unified social credit code whose first 17 are `body` (GB 32100-2015)."""
    total = sum(_USCC_CHARS.index(ch) * w for ch, w in zip(body.upper(), _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    """The 9th character of an organisation code whose first 8 are `body` (GB 11714-1997):
    characters 9–17 of a unified social credit code are such a code."""
    total = sum(int(ch, 36) * w for ch, w in zip(body.upper(), (3, 7, 9, 10, 5, 8, 4, 2)))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def looks_like_id(code: str) -> bool:
    """18 or 15 characters of an ID card: a birth date where an ID card has it."""
    code = code.upper()
    if len(code) == 18 and code[:17].isdigit() and (code[17].isdigit() or code[17] == "X"):
        year, month, day = int(code[6:10]), int(code[10:12]), int(code[12:14])
        return 1850 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31
    return len(code) == 15 and code.isdigit()


def is_natural_type(party_type: str | None) -> bool:
    text = normalise(party_type or "")
    return any(word in text for word in NATURAL_TYPES) and not any(w in text for w in _ORG_TYPE_WORDS)


# words that make a 相对人类型 an organisation's (农民专业合作社 names 农民 but is one)
_ORG_TYPE_WORDS = ("法人", "企业", "组织", "单位", "合作社", "联合社", "公司", "机关", "社会团体", "协会")


def party_names(party: str | None) -> list[str]:
    """The names a party cell holds: joint parties (张三与李四, 张三、李四) split."""
    text = _TRAILING_NOTE.sub("", normalise(party or "")).strip()
    return [part.strip() for part in re.split(r"[、,，;；/／&]|\s+|与|和|及|以及", text) if part.strip()]


def org_name(party: str | None) -> str | None:
    """The organisation's name when the party clearly is one (its name ends with an
    organisation word, a trailing note in brackets aside), else None."""
    name = _TRAILING_NOTE.sub("", normalise(party or "")).strip()
    return name if name and _ORG.search(name) and len(name) > 2 else None


def is_person(party: str | None, party_type: str | None, party_id: str | None = None) -> bool:
    """A natural person unless clearly an organisation (fail closed): a 相对人类型 that names a
    person wins; else an organisation word ending the name, or a valid unified social credit
    code with a name that does not read as a bare person's name (a 个体工商户 trading under
    its owner's name has a code too)."""
    if party_type == NATURAL or is_natural_type(party_type):
        return True
    if org_name(party):
        return False
    names = party_names(party)
    return not (is_uscc(party_id) and names and not any(_SURNAME.match(n) or len(n) <= 4 for n in names))


def mask_name(name: str | None) -> str:
    """张三 → 张*, 欧阳明华 → 欧***: the first character kept, the rest masked."""
    if not name:
        return ""
    name = normalise(name).strip()
    return name[0] + "*" * max(1, len(name) - 1)


# -- masking text -------------------------------------------------------------------------

def _digits(match: re.Match) -> str:
    found = match.group(0)
    count = sum(ch.isdigit() for ch in found.translate(_CN_DIGITS))
    return REMOVED if count >= MIN_DIGITS else found


def _bracket(match: re.Match) -> str:
    body = match.group("body").strip()
    plain = re.sub(r"[:：\s]", "", body)
    for role in _ROLES:
        if plain.startswith(role) and len(plain) > len(role):
            return f"{match.group('open')}{role}：{mask_name(plain[len(role):])}{match.group('close')}"
    if _SURNAME.match(plain) and not _ORG.search(plain):
        return f"{match.group('open')}{mask_name(plain)}{match.group('close')}"
    return match.group(0)


def _role(match: re.Match) -> str:
    return f"{match.group('role')}{match.group('sep')}{mask_name(match.group('name'))}"


def scrub(text: str | None, names: dict[str, str] | None = None, keep: tuple[str, ...] | list[str] = ()) -> str:
    """A free text as it may be published: the given full names replaced by their masked
    forms, names after a natural person's role or in brackets masked, digit runs of 6+,
    e-mail addresses and address-like phrases removed. `keep`: names and codes of proven
    organisations, left as they are (unless they hold personal data themselves)."""
    if not text:
        return ""
    text = normalise(text)
    held: list[str] = []
    for word in sorted({normalise(k).strip() for k in keep if k}, key=len, reverse=True):
        if word and word in text and (is_uscc(word) or _scrub(word, names or {}) == word):  # an organisation's name or code
            held.append(word)
            text = text.replace(word, f"\ue000{chr(0xE100 + len(held) - 1)}\ue001")
    text = _scrub(text, names or {})
    for i, word in enumerate(held):
        text = text.replace(f"\ue000{chr(0xE100 + i)}\ue001", word)
    return text


def _scrub(text: str, names: dict[str, str]) -> str:
    names = {**context_names(text), **names}
    for full, masked in sorted(((normalise(f).strip(), m) for f, m in names.items() if f), key=lambda x: -len(x[0])):
        if full and full != masked:  # 张 三 and 张三 alike
            text = re.sub(r"\s*".join(map(re.escape, full)), lambda _m, masked=masked: masked, text)
    text = BRACKETED.sub(_bracket, text)
    text = ROLE_NAME.sub(_role, text)
    text = EMAIL.sub(REMOVED, text)
    text = CONTACT.sub(lambda m: m.group("label") + m.group("sep") + REMOVED, text)
    text = BIRTH.sub(REMOVED, text)
    text = PLATE.sub(REMOVED, text)
    text = DIGIT_RUN.sub(_digits, text)
    text = LIVES_AT.sub(REMOVED, text)
    if _ADDRESS_WORD.search(text):  # the address pattern is the slow one: only where it can match
        text = ADDRESS.sub(REMOVED, text)
    return text


class KnownNames:
    """Every natural person's name a register gives — parties that are persons, names found by
    their context in any text of any case, withheld cases included — so a name is masked in every
    case's public text, also where it stands without context (张三的邻居投诉 in a case whose party
    is a firm, when 张三 is the party of another case). One pass over the text, looking up each
    position in a set (a register names thousands of people)."""

    def __init__(self):
        self.names: dict[str, str] = {}
        self.lengths: list[int] = []

    def add(self, names: dict[str, str]) -> None:
        for full, masked in names.items():
            full = normalise(full or "").strip()
            if len(full) >= 2 and full != masked and not _ORG.search(full):
                self.names.setdefault(full, masked)
        self.lengths = sorted({len(n) for n in self.names}, reverse=True)

    def mask(self, text: str, keep: tuple[str, ...] | list[str] = ()) -> str:
        if not text or not self.names:
            return text
        keep = sorted({k for k in keep if k}, key=len, reverse=True)
        out, i, n = [], 0, len(text)
        while i < n:
            kept = next((k for k in keep if text.startswith(k, i)), None)  # a proven organisation's name or code
            if kept:
                out.append(kept)
                i += len(kept)
                continue
            for length in self.lengths:
                masked = self.names.get(text[i:i + length])
                if masked is not None:
                    out.append(masked)
                    i += length
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out)


def personal_data(text: str | None) -> list[str]:
    """The kinds of personal data found in a text (for findings)."""
    if not text:
        return []
    text = normalise(text)
    kinds = []
    if any(_digits(m) == REMOVED for m in DIGIT_RUN.finditer(text)):
        kinds.append("digits")
    if EMAIL.search(text):
        kinds.append("email")
    if _ADDRESS_WORD.search(text) and ADDRESS.search(text):
        kinds.append("address")
    if context_names(text) or any(_role(m) != m.group(0) for m in ROLE_NAME.finditer(text)):
        kinds.append("name")  # a person named by context (对王小明罚款, 经营者：张三): masked when published
    return kinds


def person_names(party: str | None, party_type: str | None, party_id: str | None = None) -> dict[str, str]:
    """Full name → masked name of every natural person the party cell names: the party
    itself when a person (each of joint parties), the person in its brackets otherwise
    (某某小吃店（经营者：张三）)."""
    names: dict[str, str] = {}
    if is_person(party, party_type, party_id):
        for name in party_names(party):
            names[name] = mask_name(name)
        full = normalise(party or "").strip()
        if full:
            names[full] = public_party(party, party_type, party_id)[0]
    note = _TRAILING_NOTE.search(normalise(party or ""))
    if note:
        body = re.sub(r"[（()）:：\s]", "", note.group(0))
        for role in _ROLES:
            if body.startswith(role):
                body = body[len(role):]
                break
        if 2 <= len(body) <= 4 and not _ORG.search(body) and body not in ("个体工商户", "个体户", "个体"):
            names[body] = mask_name(body)
    return {**names, **owner_in_shop_name(party, party_type)}


def owner_in_shop_name(party: str | None, party_type: str | None) -> dict[str, str]:
    """A shop of a 个体工商户 (or of a party whose type is not known) named after its owner:
    张三丰经营部, 李四海小吃店 → the owner's name (张三丰) to be masked. A type that says
    法人 or 组织 keeps its name as registered."""
    if party_type in (LEGAL, OTHER_ORG):
        return {}
    name = org_name(party)
    if not name:
        return {}
    stem = _ORG.sub("", name)
    if stem.endswith("记") or not _SURNAME.match(stem[:4]):  # 张记 ("Zhang's") tells no more than 张* would
        return {}
    if len(stem) <= 4:
        return {stem: mask_name(stem)}
    # 张小花餐饮店: where the owner's name ends is not known; the surname and two more characters go
    owner = _SURNAME_START.match(stem).group(0)
    return {owner: mask_name(owner)}


def public_party(party: str | None, party_type: str | None, party_id: str | None,
                 names: dict[str, str] | None = None) -> tuple[str, str]:
    """(name as disclosed, code as disclosed). A natural person: each name masked, no code.
    An organisation: its name (a person in its brackets masked), its code only when a valid
    unified social credit code (an ID number typed into the code column is not published)."""
    if is_person(party, party_type, party_id):
        return "、".join(mask_name(n) for n in party_names(party)) or (mask_name(party) if party else ""), ""
    code = normalise(party_id or "").strip().upper()
    code = code if is_uscc(code) else ""
    org = org_name(party)
    names = {**person_names(party, LEGAL, code), **owner_in_shop_name(party, party_type), **(names or {})}
    return scrub(party, names, keep=(org,) if org else ()), code
