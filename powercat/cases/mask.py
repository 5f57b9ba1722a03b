"""Personal data out of what is disclosed.

The practice of 执法决定公示 and 双公示: legal persons and their unified social credit code
in full; for natural persons the name partly masked (张*), and ID-card numbers, phone
numbers, home addresses and bank accounts removed. A party whose type is unknown is masked
as a natural person unless its name reads as an organisation's (fail closed).
"""

from __future__ import annotations

import re

from .model import LEGAL, NATURAL, OTHER_ORG

ID_CARD = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9A-Za-z])")
PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
BANK = re.compile(r"(?<!\d)(?:\d[ ]?){16,19}(?!\d)")
ADDRESS = re.compile(r"(?:住址|地址|住所|家住|现住|居住于|户籍地)[:：]?\s*[^，,。；;\s（）()]{2,40}"
                     r"|[^，,。；;\s]{2,20}(?:省|市|区|县|镇|乡)[^，,。；;\s]{0,20}?(?:路|街|巷|弄|村|组)[^，,。；;\s]{0,12}?(?:号|室|栋|幢|单元)")
_ORG = re.compile(r"(公司|厂|店|中心|合作社|协会|学校|医院|商行|超市|酒店|宾馆|饭店|餐厅|门市|经营部|工作室|事务所|研究院|集团|银行|委员会|局|站|所|园|馆)$")

_TRAILING_NOTE = re.compile(r"[（(][^（()）]*[)）]$")
KIND_ZH = {"id": "身份证号码", "phone": "电话号码", "bank": "银行账号", "address": "住址"}


def personal_data(text: str | None) -> list[str]:
    """The kinds of personal data found in a text (for findings)."""
    if not text:
        return []
    kinds = []
    if ID_CARD.search(text):
        kinds.append("id")
    if PHONE.search(text):
        kinds.append("phone")
    if BANK.search(ID_CARD.sub("", text)):
        kinds.append("bank")
    if ADDRESS.search(text):
        kinds.append("address")
    return kinds


def scrub(text: str | None, names: dict[str, str] | None = None) -> str:
    """A free text with ID-card numbers, phones, bank accounts and addresses removed and the
    given full names replaced by their masked forms."""
    if not text:
        return ""
    text = ID_CARD.sub("［已删除］", text)
    text = PHONE.sub("［已删除］", text)
    text = BANK.sub("［已删除］", text)
    text = ADDRESS.sub("［已删除］", text)
    for full, masked in (names or {}).items():
        if full and full != masked:
            text = text.replace(full, masked)
    return text


def is_person(party: str | None, party_type: str | None) -> bool:
    if party_type == NATURAL:
        return True
    if party_type in (LEGAL, OTHER_ORG):
        return False
    name = _TRAILING_NOTE.sub("", (party or "").strip())  # 张记小吃店（个体工商户）
    return not (name and _ORG.search(name))


def mask_name(name: str | None) -> str:
    """张三 → 张*, 欧阳明华 → 欧***: the first character kept, the rest masked."""
    if not name:
        return ""
    name = name.strip()
    return name[0] + "*" * max(1, len(name) - 1)


def public_party(party: str | None, party_type: str | None, party_id: str | None) -> tuple[str, str]:
    """(name as disclosed, code as disclosed)."""
    if is_person(party, party_type):
        return mask_name(party), ""
    code = party_id or ""
    if ID_CARD.search(code) or PHONE.search(code):  # an ID number typed into the code column
        code = ""
    return scrub(party), code
