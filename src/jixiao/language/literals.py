"""The literal scanner: targets (指标值) and actual values (实际完成值) as written.

Cells are first normalised one character at a time (NFKC plus a few symbol
mappings), which keeps the text's length, so every offset found while scanning
is also an offset into the original cell. Problems raise `LiteralError` with a
reason from `REASONS` and that offset.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from collections.abc import Iterable
from fractions import Fraction

from jixiao.language.quantity import (
    CURRENCIES,
    MAGNITUDES,
    PER,
    PERCENT_WORDS,
    TIMES,
    UNITS,
    WHOLE_WORDS,
    Actual,
    Comparator,
    DateActual,
    DeadlineTarget,
    NotApplicable,
    NotApplicableTarget,
    NumericActual,
    NumericTarget,
    PartialDate,
    QualitativeTarget,
    Quantity,
    RangeTarget,
    Target,
    UnitError,
    Unknown,
    WordActual,
    known_unit,
    split_magnitude,
)
from jixiao.language.variants import simplified
from jixiao.limits import MAX_DIGITS, MAX_LITERAL_CHARS

ACTUAL_CACHE_SIZE = 1 << 16  # distinct actual-value texts remembered (a few MiB at most)

REASONS: dict[str, tuple[str, str]] = {
    "empty": ("值为空", "the value is empty"),
    "unit_note": (
        "括号中的单位与所写的单位不一致，或不是已知的单位",
        "the unit in parentheses differs from the unit written, or is not a known unit",
    ),
    "bad_unit": (
        "复合单位的写法有误（应如 元/人·月、人次/天）",
        "the compound unit is malformed (write e.g. 元/人·月 or 人次/天)",
    ),
    "magnitude_percent": (
        "百分比前不能用万、亿等数量级",
        "a percentage cannot carry a magnitude such as 万",
    ),
    "no_number": ("此处应有一个数", "a number is expected here"),
    "bad_number": ("数字写法有误", "the number is malformed"),
    "bad_range": ("区间写法有误", "the range is malformed"),
    "bad_date": ("日期写法有误", "the date is not a valid date"),
    "trailing": ("值后面有多余的内容", "unexpected text after the value"),
    "date_not_deadline": (
        "日期前的「≥」「>」「=」不是时限（时限指在所写日期或之前完成）：时限写「≤」加日期或日期加「前」，"
        "如「≤2020年12月」「2020年12月前」",
        "a date after ≥, > or = is not a deadline (a deadline is done by the date written):"
        " write ≤ and the date, or the date and 前, e.g. ≤2020年12月 or 2020年12月前",
    ),
    "year_before": (
        "「某年前」不知是该年年底前，还是该年开始之前（上一年年底前）：请写明，"
        "如「2020年底前」「2020年12月31日前」或「2019年12月31日前」",
        "“YYYY年前” may mean by the end of that year or before it began (by the end of the year"
        " before): write which, e.g. 2020年底前, 2020年12月31日前 or 2019年12月31日前",
    ),
    "formula": ("单元格是公式而不是值", "the cell holds a formula, not a value"),
    "error_value": ("单元格是 Excel 错误值", "the cell holds an Excel error value"),
    "ambiguous": ("值中有不止一个数，无法确定实际值", "the value holds more than one number"),
    "scientific": (
        "科学计数法（如 1.23457E+11）不能读：Excel 把长数字显示成这样时已丢掉末几位。"
        "请把数写全（如 11000人），或在 Excel 中把这一格设为「数值」格式后重新导出",
        "scientific notation (such as 1.23457E+11) is not read: Excel shows a long number so with its last"
        " digits lost. Write the number in full (such as 11000人), or format the cell as a number in Excel"
        " and export again",
    ),
    "conflicting_comparator": (
        "前后的比较方向相互矛盾",
        "the comparison signs before and after the number contradict each other",
    ),
    "too_long": (
        f"值太长（超过 {MAX_LITERAL_CHARS} 个字符）",
        f"the value is too long (over {MAX_LITERAL_CHARS} characters)",
    ),
    "too_many_digits": (f"数字超过 {MAX_DIGITS} 位", f"the number has more than {MAX_DIGITS} digits"),
    "currency_unit": (
        "「￥」是元，数却带着别的单位",
        "the ￥ means 元, but the number carries another unit",
    ),
    "yuan_sign_amount": (
        "这里只写数（可带单位），不写「{sign}」：金额按表中写的金额单位读，要写明单位就写在数后（970万元）",
        "write the number (and its unit) without “{sign}” here: an amount is read in the table's money unit;"
        " to name the unit, write it after the number (970万元)",
    ),
    "foreign_currency": (
        "「{sign}」不是人民币，既不能按元读，也不能略去不管：人民币金额写 12900元、￥12900 或 1.29万元；"
        "外币金额在数后写币种的名称（12900美元），只与以同一币种计的目标比较",
        "“{sign}” is not 人民币: it can be neither read as 元 nor left out. Write an amount in 元 as 12900元,"
        " ￥12900 or 1.29万元; a foreign amount with its currency's name after the number (12900美元), which"
        " compares only with a target in that currency",
    ),
}

_SYMBOLS: dict[str, str] = {
    "≧": "≥",
    "⩾": "≥",
    "≮": "≥",
    "≦": "≤",
    "⩽": "≤",
    "≯": "≤",
    "═": "=",
    "﹦": "=",
    "−": "-",
    "–": "-",
    "〜": "~",
}

_PREFIXES: dict[str, Comparator] = {
    **dict.fromkeys(["≥", ">=", "=>", "不少于", "不低于", "不小于", "至少"], Comparator.GE),
    **dict.fromkeys(["大于等于", "大于或等于"], Comparator.GE),
    **dict.fromkeys(["≤", "<=", "=<", "不高于", "不超过", "不大于", "至多"], Comparator.LE),
    **dict.fromkeys(["小于等于", "小于或等于"], Comparator.LE),
    **dict.fromkeys(["=", "==", "等于"], Comparator.EQ),
    **dict.fromkeys([">", "大于", "高于", "超过"], Comparator.GT),
    **dict.fromkeys(["<", "小于", "低于"], Comparator.LT),
}

COMPARATOR_WORDS = frozenset(_PREFIXES)  # ≥, 不少于, … as a 指标性质 cell gives them (定性 is none)

_SUFFIXES: dict[str, Comparator] = {
    **dict.fromkeys(["以上", "及以上", "或以上"], Comparator.GE),
    **dict.fromkeys(["以下", "及以下", "或以下", "以内"], Comparator.LE),
}

_BETWEEN: dict[str, Comparator] = {"≤": Comparator.LE, "<=": Comparator.LE, "<": Comparator.LT}
_STOP_WORDS = (*_SUFFIXES, "左右")
_RANGE_SEPARATORS = ("-", "~", "至", "到", "—")
APPROX_WORDS = ("约", "≈", "左右", "大概", "将近")  # an approximate value (F107)
_ERROR_VALUES = frozenset(
    "#N/A #DIV/0! #VALUE! #REF! #NAME? #NUM! #NULL! #SPILL! #CALC! #GETTING_DATA".split()
)
_NOT_APPLICABLE = frozenset(["/", "//", "不适用", "N/A", "—", "——", "-", "--"])
UNKNOWN_WORDS = frozenset(["?", "??", "未知", "不详", "无法辨认", "看不清", "无法识别"])
_UNIT_WORDS = sorted([*UNITS, *PERCENT_WORDS], key=len, reverse=True)
_PREFIX_WORDS = [word for word in _UNIT_WORDS if word not in WHOLE_WORDS]


def _by_first(words: list[str]) -> dict[str, tuple[str, ...]]:
    """`words` by their first character, in their order (longest first): a prefix is looked for among
    the words that can start it, not among all."""
    grouped: dict[str, list[str]] = {}
    for word in words:
        grouped.setdefault(word[:1], []).append(word)
    return {first: tuple(group) for first, group in grouped.items()}


_PREFIX_WORDS_BY_FIRST = _by_first(_PREFIX_WORDS)
_DOTTED = [word for word in UNITS if "·" in word]  # 人·次, 千瓦·时: one unit, no 元/… before the ·
_PIECES_RE = re.compile(f"[{re.escape(PER + TIMES)}]")
_POWERED = {"m": "23", "km": "2", "米": "23"}  # m2 m3 km2 米2: a power typed (or NFKC-read) as a digit
_DIGITS = "0123456789"
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_NUMBER_RUN_RE = re.compile(r"[0-9][0-9.,]*")
_FORMULA_RE = re.compile(r"[A-Za-z()+*/^&:!$\"]")
# Every "\s*" is possessive ("\s*+"): nothing after one can start with a space, so giving spaces back
# never helps a match, and a cell like "12月" + 2000 spaces + "x" fails in linear time (was cubic).
_DEADLINE_TAIL = r"\s*+(?:底|末|份)?\s*+(?:之前|以前|前)?\s*+(?:完成)?"
_MONTH_RE = (
    r"(?<![0-9.])(?:(?P<year>[0-9]{4})\s*+年\s*+)?(?P<month>[0-9]{1,2})\s*+月"
    r"(?:\s*+(?P<day>[0-9]{1,2})\s*+[日号])?"
)
_YEAR_END_RE = r"(?:(?P<year>[0-9]{4})\s*+)?年\s*+(?:底|末|内)"
_ISO_RE = (
    r"(?P<year>(?:19|20)[0-9]{2})\s*+(?:[-/]\s*+(?P<month>[0-9]{1,2})(?:\s*+[-/]\s*+(?P<day>[0-9]{1,2}))?"
    r"|\.\s*+(?P<month2>[0-9]{1,2})(?:\s*+\.\s*+(?P<day2>[0-9]{1,2}))?)"
)
_DEADLINE_RES = (
    re.compile(_MONTH_RE + _DEADLINE_TAIL),
    re.compile(_YEAR_END_RE + r"\s*+(?:之前|以前|前)?\s*+(?:完成)?"),
    re.compile(_ISO_RE + r"\s*+(?:之前|以前|前)\s*+(?:完成)?"),
)
# A date after ≤ or < (≤2020年12月, <2020.12, 不晚于2020-12-31): a deadline like 2020年12月前. A month
# without a year, day or 底 (≤3月) stays a number of months, as before. A dotted or dashed date
# (2020.12, 2020-12-31) is a deadline without 前 too: an actual written so is read as a date.
_DATED_MONTH_RE = re.compile(
    r"(?<![0-9.])(?:(?P<year>[0-9]{4})\s*+年\s*+(?P<month>[0-9]{1,2})\s*+月(?:\s*+(?P<day>[0-9]{1,2})\s*+[日号])?"
    r"|(?P<month2>[0-9]{1,2})\s*+月(?:\s*+(?P<day2>[0-9]{1,2})\s*+[日号]|\s*+(?=[底末前之以])))"
    + _DEADLINE_TAIL
)
_ISO_DEADLINE_RE = re.compile(_ISO_RE + r"\s*+(?:底|末)?\s*+(?:之前|以前|前)?\s*+(?:完成)?")
_DATE_PREFIXES: dict[str, Comparator] = {
    **dict.fromkeys(["不晚于", "不迟于", "早于"], Comparator.LE),
}
_ACTUAL_DATE_RES = (re.compile(_MONTH_RE + r"(?:底|末|份)?"), re.compile(_YEAR_END_RE))
# 2020.9 alone: a number, or (in a deadline's context: after ≤ or before 前, or an actual against a deadline)
# the month 2020年9月. 2020.09 and 2020.10 are dates anywhere (a number has no trailing zero written).
DOTTED_MONTH_RE = re.compile(r"(?P<year>(?:19|20)[0-9]{2})\.(?P<month>[1-9])")
# An actual written as a target's deadline is the date it names, as the target reads it: 2020.9前, ≤2020.12,
# 2020-12-20前 (done by then: the bound is the completion date, like 2020年9月底前). Only ≤2020.9 without 前
# stays the number that keeps its month (`_numeric_actual`), as 2020.9 does.
_BY_WORDS = r"(?:≤|<=|=<|<|不晚于|不迟于|早于)"
_BEFORE_WORDS = r"(?:之前|以前|前)"
_ACTUAL_ISO_RE = re.compile(
    rf"(?P<by>{_BY_WORDS}\s*+)?" + _ISO_RE + rf"\s*+(?:底|末)?\s*+(?P<before>{_BEFORE_WORDS})?\s*+(?:完成)?"
)
# a dotted or dashed date with 前 inside free text (已于2020.9前完成): the date, if no other digit is there
_ACTUAL_ISO_BEFORE_RE = re.compile(r"(?<![0-9.])" + _ISO_RE + rf"\s*+(?:底|末)?\s*+{_BEFORE_WORDS}")
# 2020年前: by the end of 2020, or before 2020 began? Neither target nor actual guesses (`year_before`)
_YEAR_BEFORE_RE = re.compile(rf"(?:已?于)?\s*+(?:19|20)[0-9]{{2}}\s*+年\s*+{_BEFORE_WORDS}\s*+(?:完成)?")
_DOTTED_NUMBER_RE = re.compile(rf"(?:{_BY_WORDS}\s*+)?" + DOTTED_MONTH_RE.pattern)


class LiteralError(Exception):
    """A target or actual value that cannot be read.

    `reason` is a key of `REASONS`; `offset` is the 0-based character offset
    into the original text where the problem is.
    """

    def __init__(self, reason: str, offset: int, text: str, sign: str = "") -> None:
        super().__init__(f"{reason} at {offset}: {text!r}")
        self.reason = reason
        self.offset = offset
        self.text = text
        self.sign = sign  # the currency of "foreign_currency" and "yuan_sign_amount", as written

    def message(self, lang: str = "zh") -> str:
        """The explanation of the reason in Chinese ("zh") or English."""
        zh, en = REASONS[self.reason]
        return (zh if lang == "zh" else en).replace("{sign}", self.sign)


# -- normalisation -------------------------------------------------------------


def _normal_char(c: str) -> str:
    """Normalise one character, keeping it if NFKC would change the length."""
    if c in _SYMBOLS:
        return _SYMBOLS[c]
    n = unicodedata.normalize("NFKC", c)
    if len(n) != 1:
        return c
    return " " if n.isspace() else simplified(n)


class _Normal(dict[int, str]):
    """Each character's normal form (`_normal_char`) by code point, made when first met, so that
    `str.translate` normalises a whole text at C speed (7× the per-character loop). At most `_KEPT`
    characters are remembered: a text of every character Unicode has does not grow it without bound
    (the others are normalised each time, as before)."""

    _KEPT = 16_384  # a year of real tables uses a few thousand distinct characters

    def __missing__(self, code: int) -> str:
        normal = _normal_char(chr(code))
        if len(self) < self._KEPT:
            self[code] = normal
        return normal


_NORMAL = _Normal()


def _per_char(text: str) -> str:
    """Normalise `text` character by character; the length is unchanged."""
    return text.translate(_NORMAL)


def normalize(text: str) -> str:
    """Half-width, canonical comparators, stripped, inner spaces collapsed."""
    s = _per_char(text)
    for written, canonical in ((">=", "≥"), ("<=", "≤"), ("==", "=")):
        s = s.replace(written, canonical)
    return re.sub(r"\s+", " ", s).strip()


# -- the scanner -----------------------------------------------------------------


_EXPONENT_RE = re.compile(r"[eE][+\-]?\d")  # 1e4, 1.1E+4, 1e-3: scientific notation


class _Scanner:
    """A cursor over the normalised text `s`, between `pos` and `end`."""

    def __init__(self, text: str, s: str, pos: int, end: int) -> None:
        self.text, self.s, self.pos, self.end = text, s, pos, end

    def error(self, reason: str, offset: int | None = None) -> LiteralError:
        """A `LiteralError` at `offset` (default: the cursor); text left after a number that is its
        exponent (1e4人, 1.1E+4) is scientific notation, said so."""
        at = self.pos if offset is None else offset
        if reason == "trailing":  # the exponent's letter may have been read as a unit (1e4人: unit e)
            for exponent in (at, at - 1):
                if 0 < exponent and self.s[exponent - 1].isdigit() and _EXPONENT_RE.match(self.s, exponent):
                    return LiteralError("scientific", exponent, self.text)
        return LiteralError(reason, at, self.text)

    def skip(self) -> None:
        """Skip whitespace."""
        while self.pos < self.end and self.s[self.pos].isspace():
            self.pos += 1

    def at_end(self) -> bool:
        """Whether only whitespace is left."""
        self.skip()
        return self.pos >= self.end

    def peek_word(self, words: Iterable[str]) -> str | None:
        """The longest of `words` starting at the cursor, if any."""
        found = [w for w in words if self.s.startswith(w, self.pos, self.end)]
        return max(found, key=len) if found else None

    def take_word(self, words: Iterable[str]) -> str | None:
        """Consume and return the longest of `words` at the cursor."""
        word = self.peek_word(words)
        if word is not None:
            self.pos += len(word)
        return word

    def take_comparator(self, table: dict[str, Comparator]) -> Comparator | None:
        """Consume a comparator spelling from `table`, if one is at the cursor."""
        self.skip()
        word = self.take_word(table)
        return None if word is None else table[word]

    def starts_number(self) -> bool:
        """Whether a number (optionally negative) starts at the cursor."""
        i = self.pos + (1 if self.s.startswith("-", self.pos, self.end) else 0)
        return i < self.end and self.s[i] in _DIGITS

    def number(self) -> Fraction:
        """Read a number: digits, optional thousands separators and decimals."""
        self.skip()
        if not self.starts_number():
            currency = _currency_at(self.s, self.pos, self.end)
            if currency is not None and not _in_yuan_word(currency):
                raise _foreign(self.text, self.pos, currency)
            if currency is None:
                raise self.error("no_number")
            sign = self.text[self.pos : self.pos + len(currency)]
            raise LiteralError("yuan_sign_amount", self.pos, self.text, sign)
        negative = self.s[self.pos] == "-"
        self.pos += 1 if negative else 0
        start = self.pos
        while self.pos < self.end and self.s[self.pos] in _DIGITS + ".,":
            self.pos += 1
        run = self.s[start : self.pos].rstrip(".,")
        self.pos = start + len(run)
        _check_digits(run, start, self.text)
        if not _NUMBER_RE.fullmatch(run):
            raise self.error("bad_number", start)
        value = Fraction(run.replace(",", ""))
        return -value if negative else value

    def unit_run(self) -> str:
        """Read the unit letters after a number, stopping at suffix words; 元/人·月 is read whole."""
        start = self.pos
        while self.pos < self.end:
            c = self.s[self.pos]
            if _is_unit_char(c):
                if self.peek_word(_STOP_WORDS) or self.range_ahead():
                    break
            elif not (self.compound_ahead(start) or self.power_ahead(start)):
                break
            self.pos += 1
        if self.pos < self.end and self.s[self.pos] in "%‰":
            if split_magnitude(self.s[start : self.pos])[2] == "":
                self.pos += 1
        return self.s[start : self.pos]

    def compound_ahead(self, start: int) -> bool:
        """Whether a compound unit goes on at the cursor: "/" (or "·" after a "/") then a unit letter;
        or the "·" of a unit written with one (人·次, 千瓦·时)."""
        c = self.s[self.pos]
        after = self.pos + 1
        if not (self.pos > start and after < self.end and _is_unit_char(self.s[after])):
            return False
        if c == PER or (c in TIMES and PER in self.s[start : self.pos]):
            return True
        dotted = f"{split_magnitude(self.s[start : self.pos])[2]}·{self.s[after]}"
        return c in TIMES and any(word.startswith(dotted) for word in _DOTTED)

    def power_ahead(self, start: int) -> bool:
        """Whether the digit at the cursor is the power of m2, m3, km2 (not followed by more digits)."""
        last = _PIECES_RE.split(self.s[start : self.pos])[-1]  # m3 in 元/m3
        powers = _POWERED.get(split_magnitude(last)[2], "")
        after = self.pos + 1
        return (
            self.pos < self.end
            and self.s[self.pos] in powers
            and not (after < self.end and self.s[after] in _DIGITS + ".,")
        )

    def spaced_word(self, word: str) -> bool:
        """Consume spaces and `word` at the cursor when `word` ends the unit there (no unit letter after)."""
        at = self.pos
        while at < self.end and self.s[at].isspace():
            at += 1
        after = at + len(word)
        if not self.s.startswith(word, at, self.end) or (after < self.end and _is_unit_char(self.s[after])):
            return False
        self.pos = after
        return True

    def range_ahead(self) -> bool:
        """Whether 至/到 followed by a number is at the cursor."""
        if self.s[self.pos] not in "至到":
            return False
        probe = _Scanner(self.text, self.s, self.pos + 1, self.end)
        probe.skip()
        return probe.starts_number()

    def unit(self, strict: bool) -> str:
        """Read a unit; strict mode rejects junk after a known unit."""
        start = self.pos
        run = self.unit_run()
        if split_magnitude(run)[2] == "度" and self.spaced_word("电"):
            return run + "电"  # 100度 电, as tables print it: 100度电, kWh
        magnitude, _, rest = split_magnitude(run)
        known = _known_prefix(rest)
        if known is None or known == rest or PER in run:  # a compound unit checks its own parts
            return run
        cut = start + len(magnitude) + len(known)
        if strict:
            raise self.error("trailing", cut)
        self.pos = cut
        return self.s[start:cut]

    def priced(self, strict: bool) -> Quantity:
        """Read a number and its unit, with a ￥ (¥, 人民币, RMB, CNY) before it or a ￥ after it read as 元
        (￥12000, 12000￥, ￥1.2万 = 1.2万元); another currency's sign or name there is a `LiteralError`."""
        self.skip()
        yuan = _currency_at(self.s, self.pos, self.end)
        if yuan is not None:
            if not _in_yuan_word(yuan):
                raise _foreign(self.text, self.pos, yuan)
            self.pos += len(yuan)
        at = self.pos
        q = self.quantity(strict)
        after = self.currency_after()
        if after == YUAN_SIGN and yuan is None:
            yuan = after
        elif after is not None:
            raise self.error("trailing")  # ￥12000￥
        return q if yuan is None else _in_yuan(q, self.text, at)

    def currency_after(self) -> str | None:
        """Consume a ￥ (¥) written after a number's unit and return it; None, the cursor left, if there is
        none; another currency's sign there (12000$, 12000 €) is a `LiteralError`."""
        at = self.pos
        while at < self.end and self.s[at].isspace():
            at += 1
        if at >= self.end or not _is_currency_sign(self.s[at]):
            return None
        if self.s[at] != YUAN_SIGN:
            start = at  # the US of 12900US$, read as the number's unit letters
            while start > self.pos - _SIGN_LETTERS and start > 0 and _is_latin(self.s[start - 1]):
                start -= 1
            raise _foreign(self.text, start, self.s[start : at + 1])
        self.pos = at + 1
        return YUAN_SIGN

    def quantity(self, strict: bool) -> Quantity:
        """Read a number and its unit."""
        number = self.number()
        self.skip()
        unit_start = self.pos
        written = self.unit(strict)
        if split_magnitude(written)[2].startswith(("前", "之前", "以前")):
            raise self.error("trailing", unit_start)  # 前 is a deadline's word, never a unit (2020.9前)
        try:
            return Quantity.of(number, written)
        except UnitError as e:
            raise self.error(e.reason, unit_start) from None


def _is_unit_char(c: str) -> bool:
    """Letters that may spell a unit: CJK ideographs, Latin letters and unit signs (㎡ ㎞ ㎏ ℃ °C m² m³)."""
    return "\u4e00" <= c <= "\u9fff" or ("a" <= c.lower() <= "z") or c in "㎡㎞㎏℃°²³"


# -- currency signs and names ----------------------------------------------------------

YUAN_SIGN = "¥"  # ￥ (full width) as normalised: the sign of 元
YUAN = "元"
_CURRENCY_WORDS = sorted(CURRENCIES, key=len, reverse=True)
_SIGN_LETTERS = 3  # the letters of US$, HK$, NT$, A$ before a currency sign
_CURRENCY_NAME_RE = re.compile(
    "|".join(rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() else re.escape(w) for w in _CURRENCY_WORDS),
    re.IGNORECASE,
)


def _is_currency_sign(c: str) -> bool:
    """Whether `c` is a currency sign: ¥ (￥ normalised), $, €, £, ₩ …"""
    return unicodedata.category(c) == "Sc"


def _is_latin(c: str) -> bool:
    return "a" <= c.lower() <= "z"


def _in_yuan_word(word: str) -> bool:
    """Whether a currency found by `_currency_at` or `_currency_before` is 元: ￥, 人民币, RMB, CNY."""
    return word == YUAN_SIGN or CURRENCIES.get(word.upper()) == YUAN


def _currency_at(s: str, pos: int, end: int) -> str | None:
    """The currency written at `pos`, as written: a sign with the letters before it ($, US$, HK$, €, ¥) or
    a currency's name or code (美元, USD, 人民币); None if there is none."""
    i = pos
    while i < end and i - pos < _SIGN_LETTERS and _is_latin(s[i]):
        i += 1
    if i < end and _is_currency_sign(s[i]):
        return s[pos : i + 1]
    for word in _CURRENCY_WORDS:
        after = pos + len(word)
        if s[pos:after].upper() == word and not (word.isascii() and after < end and _is_latin(s[after])):
            return s[pos:after]
    return None


def _currency_before(s: str, start: int, end: int) -> tuple[str, int] | None:
    """The currency written at the end of `s[start:end]` (spaces after it allowed), as `_currency_at` reads
    one, and where it starts; None if there is none."""
    while end > start and s[end - 1].isspace():
        end -= 1
    if end > start and _is_currency_sign(s[end - 1]):
        at = end - 1
        while at > start and end - at <= _SIGN_LETTERS and _is_latin(s[at - 1]):
            at -= 1
        return s[at:end], at
    for word in _CURRENCY_WORDS:
        at = end - len(word)
        if at >= start and s[at:end].upper() == word:
            if not (word.isascii() and at > start and _is_latin(s[at - 1])):
                return s[at:end], at
    return None


def _foreign(text: str, at: int, found: str) -> LiteralError:
    """The error of a currency other than 元 found at `at` (normalised as `found`), named as written."""
    return LiteralError("foreign_currency", at, text, text[at : at + len(found)])


def foreign_currency(text: str) -> str | None:
    """The first currency other than 元 written in `text` (a sign such as $ or €, US$, a name or code such
    as 美元, USD), as written; None if there is none. For the texts an Excel number format shows: linear in
    the text, which may be long."""
    s = _per_char(text)
    found: list[tuple[int, int]] = []
    for name in _CURRENCY_NAME_RE.finditer(s):
        if not _in_yuan_word(name.group()):
            found.append(name.span())
            break
    for at, c in enumerate(s):
        if _is_currency_sign(c) and c != YUAN_SIGN:
            start = at
            while start > 0 and at - start < _SIGN_LETTERS and _is_latin(s[start - 1]):
                start -= 1
            found.append((start, at + 1))
            break
    if not found:
        return None
    start, end = min(found)
    return text[start:end]


def _known_prefix(rest: str) -> str | None:
    """`rest` when it is a known unit, else the longest known unit word it starts with (方面 is not 方 …)."""
    if known_unit(rest) is not None:
        return rest
    for word in _PREFIX_WORDS_BY_FIRST.get(rest[:1], ()):
        if rest.startswith(word):
            return word
    return None


def _bounds(s: str) -> tuple[int, int]:
    """Start and end of `s` without surrounding whitespace."""
    stripped = s.strip()
    if not stripped:
        return 0, 0
    start = len(s) - len(s.lstrip())
    return start, start + len(stripped)


# -- checks common to targets and actuals ----------------------------------------


def _check_length(text: str) -> None:
    """A value longer than any cell of a real table is refused before it is scanned."""
    if len(text) > MAX_LITERAL_CHARS:
        raise LiteralError("too_long", MAX_LITERAL_CHARS, text)


def _check_digits(run: str, start: int, text: str) -> None:
    """A number of more digits than any figure has would make huge exact fractions."""
    if sum(c in _DIGITS for c in run) > MAX_DIGITS:
        raise LiteralError("too_many_digits", start, text)


def _prepare(text: str) -> tuple[str, int, int]:
    """Normalise and check for blank cells, Excel errors and formulas."""
    _check_length(text)
    s = _per_char(text)
    start, end = _bounds(s)
    if start == end:
        raise LiteralError("empty", 0, text)
    body = s[start:end]
    if body.upper() in _ERROR_VALUES:
        raise LiteralError("error_value", start, text)
    if body.startswith("=") and _FORMULA_RE.search(body):
        raise LiteralError("formula", start, text)
    return s, start, end


MIN_YEAR, MAX_YEAR = 1900, 2199  # the years a performance table can be about


def _make_date(text: str, m: re.Match[str]) -> PartialDate:
    """Build and validate a `PartialDate` from a date match."""
    groups = m.groupdict()
    year = _int_group(groups.get("year"))
    month_key = "month2" if groups.get("month2") else "month"
    day_key = "day2" if groups.get("day2") else "day"
    month = _int_group(groups.get(month_key))
    month = 12 if month is None else month
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise LiteralError("bad_date", m.start("year"), text)
    if not 1 <= month <= 12:
        raise LiteralError("bad_date", m.start(month_key), text)
    day = _int_group(groups.get(day_key))
    last = calendar.monthrange(year or 2000, month)[1]
    if day is not None and not 1 <= day <= last:
        raise LiteralError("bad_date", m.start(day_key), text)
    return PartialDate(year, month, day)


def _int_group(value: str | None) -> int | None:
    """An optional regex group as an int."""
    return None if value is None else int(value)


# -- targets ---------------------------------------------------------------------


@functools.lru_cache(maxsize=ACTUAL_CACHE_SIZE)
def parse_target(text: str) -> Target:
    """Read a target (指标值): numeric, range, deadline, qualitative, or / for not applicable.

    Remembered per distinct text, like `parse_actual` (a large ruleset repeats 100%, ≥95%, 合理).
    """
    s, start, end = _prepare(text)
    if normalize(text).upper() in _NOT_APPLICABLE:
        return NotApplicableTarget()
    for pattern in _DEADLINE_RES:
        m = pattern.fullmatch(s, start, end)
        if m:
            return DeadlineTarget(_make_date(text, m))
    deadline = _dated_target(text, s, start, end)
    if deadline is not None:
        return deadline
    if _YEAR_BEFORE_RE.fullmatch(s, start, end):
        raise LiteralError("year_before", start, text)
    if s[start] in "[(" and s[end - 1] in "])":
        return _bracket_range(text, s, start, end)
    if not any(c in _DIGITS for c in s):
        return _word_target(text, s, start, end)
    return _numeric_target(_Scanner(text, s, start, end))


def _dated_target(text: str, s: str, start: int, end: int) -> DeadlineTarget | None:
    """A deadline written as a comparison with a date (≤2020年12月) or as a dotted or dashed date.

    ≤ and < (不晚于, 不迟于) read as 前: done by the last day the date allows. ≥, > or = before a date
    is an error (E111): "not before" is no deadline, and reading it as a number would be wrong.
    """
    sc = _Scanner(text, s, start, end)
    table = {**_PREFIXES, **_DATE_PREFIXES}
    word = sc.take_word(table)
    comparator = None if word is None else table[word]
    sc.skip()
    date = _ISO_DEADLINE_RE.fullmatch(s, sc.pos, end)
    if date is not None and not 1 <= int(date.group("month") or date.group("month2")) <= 12:
        date = None
    if date is not None and comparator not in (Comparator.LE, Comparator.LT):
        if DOTTED_MONTH_RE.fullmatch(s, sc.pos, end):
            date = None  # 2020.9 or ≥2020.9 is the number; ≤2020.9 and 2020.9前 are the month
    if date is None and comparator is not None:
        date = _DATED_MONTH_RE.fullmatch(s, sc.pos, end) or _DEADLINE_RES[1].fullmatch(s, sc.pos, end)
    if date is None:
        return None
    if comparator not in (None, Comparator.LE, Comparator.LT):
        raise LiteralError("date_not_deadline", start, text)
    return DeadlineTarget(_make_date(text, date))


def _word_target(text: str, s: str, start: int, end: int) -> QualitativeTarget:
    """A target without digits: a word, unless it is only a comparator."""
    scanner = _Scanner(text, s, start, end)
    if s[start] in "≥≤<>=" or scanner.peek_word([*_PREFIXES, *_SUFFIXES]) == s[start:end]:
        scanner.take_word([*_PREFIXES, *_SUFFIXES])
        scanner.skip()
        raise scanner.error("no_number")
    return QualitativeTarget(normalize(text))


PER_HEAD_WORDS = ("人均", "户均")
"""Words before a target's number that say what it is counted per (人均≥1000元): a label, like the indicator's
name (人均补助), not a unit: the target is ≥1000元, and an actual 1050元 or 人均1050元 meets it."""


def _numeric_target(sc: _Scanner) -> Target:
    """A numeric target or a range written with a separator."""
    sc.skip()
    sc.take_word(PER_HEAD_WORDS)
    prefix = sc.take_comparator(_PREFIXES)
    if prefix is not None:
        sc.skip()
        sc.take_word(PER_HEAD_WORDS)  # ≥人均1000元
    low_at = sc.pos
    low = unit_note(sc, sc.priced(strict=True))
    sc.skip()
    if sc.take_word(_RANGE_SEPARATORS):
        return _finish_range(sc, prefix, low, low_at)
    lower = sc.take_comparator(_BETWEEN)
    if lower is not None:
        return _between(sc, prefix, lower, low, low_at)
    suffix = sc.take_comparator(_SUFFIXES)
    if not sc.at_end():
        raise sc.error("trailing")
    return _numeric(sc, prefix, suffix, low)


def _numeric(
    sc: _Scanner, prefix: Comparator | None, suffix: Comparator | None, q: Quantity
) -> NumericTarget:
    """Combine the comparators written before and after a number."""
    if prefix and suffix and prefix is not suffix:
        raise sc.error("conflicting_comparator", _bounds(sc.s)[0])
    comparator = prefix or suffix
    if comparator is None:
        return NumericTarget(Comparator.GE, q, implicit=True)
    return NumericTarget(comparator, q, implicit=False)


def _finish_range(sc: _Scanner, prefix: Comparator | None, low: Quantity, low_at: int) -> RangeTarget:
    """Read the high end of "90%-100%" and build the range."""
    high = sc.priced(strict=True)
    if prefix is not None or not sc.at_end():
        raise sc.error("bad_range", low_at)
    return _range(sc, low, high, low_at, (True, True))


def _between(
    sc: _Scanner, prefix: Comparator | None, lower: Comparator, low: Quantity, low_at: int
) -> RangeTarget:
    """Read the rest of "80%≤x≤100%" once the first sign is consumed."""
    sc.skip()
    if prefix is not None or sc.take_word(["x", "X"]) is None:
        raise sc.error("bad_range", low_at)
    upper = sc.take_comparator(_BETWEEN)
    if upper is None:
        raise sc.error("bad_range", low_at)
    high = sc.priced(strict=True)
    if not sc.at_end():
        raise sc.error("trailing")
    inclusive = (lower is Comparator.LE, upper is Comparator.LE)
    return _range(sc, low, high, low_at, inclusive)


def _range(
    sc: _Scanner, low: Quantity, high: Quantity, low_at: int, inclusive: tuple[bool, bool]
) -> RangeTarget:
    """Check a range: the low end takes a bare number's unit from the high end."""
    if low.unit == "" and high.unit != "":
        low = low.with_unit_of(high)
    if low.dimension != high.dimension or low.base > high.base:
        raise sc.error("bad_range", low_at)
    return RangeTarget(low, high, inclusive[0], inclusive[1])


def _bracket_range(text: str, s: str, start: int, end: int) -> RangeTarget:
    """Read "[80%,100%)": try each comma as the separator, leftmost first."""
    commas = [i for i in range(start + 1, end - 1) if s[i] == ","]
    error = LiteralError("bad_range", start, text)
    for comma in commas:
        try:
            return _bracket_split(text, s, start, end, comma)
        except LiteralError as e:
            error = e
    raise error


def _bracket_split(text: str, s: str, start: int, end: int, comma: int) -> RangeTarget:
    """Read a bracket range split at `comma`."""
    left = _Scanner(text, s, start + 1, comma)
    low = left.priced(strict=True)
    if not left.at_end():
        raise left.error("trailing")
    right = _Scanner(text, s, comma + 1, end - 1)
    high = right.priced(strict=True)
    if not right.at_end():
        raise right.error("trailing")
    inclusive = (s[start] == "[", s[end - 1] == "]")
    return _range(left, low, high, start + 1, inclusive)


# -- a unit restated in parentheses: >=98%(百分比), 500（人） -----------------------------


def unit_note(sc: _Scanner, q: Quantity) -> Quantity:
    """Read a parenthesised unit after a quantity: it restates the unit, or gives a bare number one.

    `98%(百分比)` is 98%; `500（人）` is 500人; a note that is not a known unit, or that names
    another unit than the one written (`98%(人)`, `2万元(元)`), is an error ("unit_note").
    """
    sc.skip()
    if sc.pos >= sc.end or sc.s[sc.pos] != "(":
        return q
    close = sc.s.find(")", sc.pos, sc.end)
    if close < 0:
        return q  # reported as trailing text by the caller
    word = sc.s[sc.pos + 1 : close].strip()
    noted = _noted_quantity(q, word)
    if noted is None or (q.unit and (noted.dimension, noted.scale) != (q.dimension, q.scale)):
        raise sc.error("unit_note", sc.pos)
    sc.pos = close + 1
    return q if q.unit else noted


def _noted_quantity(q: Quantity, word: str) -> Quantity | None:
    """The quantity with the note's unit, if the note is a known unit (with a magnitude, or compound)."""
    rest = split_magnitude(word)[2]
    if not word or (PER not in word and _known_prefix(rest) != rest):
        return None
    try:
        return Quantity.of(q.number, word)
    except UnitError:
        return None


# -- quantities ----------------------------------------------------------------------


def parse_quantity(text: str) -> Quantity:
    """Read a bare quantity such as "1.1万人", "970", "9,700,000元"."""
    s, start, end = _prepare(text)
    sc = _Scanner(text, s, start, end)
    q = sc.quantity(strict=True)
    if sc.currency_after() is not None:  # 970￥ as ￥970; a foreign sign (970$) is its own error
        raise LiteralError("yuan_sign_amount", sc.pos - 1, text, text[sc.pos - 1])
    if not sc.at_end():
        raise sc.error("trailing")
    return q


# -- actual values ---------------------------------------------------------------


@functools.lru_cache(maxsize=ACTUAL_CACHE_SIZE)
def parse_actual(text: str) -> Actual:
    """Read an actual value (实际完成值): number, date, word or 不适用.

    Remembered per distinct text (values are immutable): a batch repeats 合理, 100%, 按时完成 in every
    file, and the same text read twice is the same object (the fast evaluator's memo relies on it).
    """
    s, start, end = _prepare(text)
    normal = normalize(text)
    if normal.upper() in _NOT_APPLICABLE:
        return NotApplicable()
    if normal in UNKNOWN_WORDS:
        return Unknown()
    date = _actual_date(text, s, start, end)
    if date is not None:
        return DateActual(date)
    if _YEAR_BEFORE_RE.fullmatch(s, start, end):
        raise LiteralError("year_before", start, text)
    runs = [run for run in _NUMBER_RUN_RE.finditer(s, start, end) if not _is_power(s, run)]
    if len(runs) > 1:
        raise LiteralError(_two_numbers(s, runs), runs[1].start(), text)
    if not runs:
        return _word_actual(text, s, start, end)
    return _numeric_actual(text, s, runs[0].start(), end)


def _two_numbers(s: str, runs: list[re.Match[str]]) -> str:
    """Why a value with two digit runs is refused: scientific notation (1.23457E+11: Excel shows a long
    number so, its last digits lost), or two numbers."""
    exponent = _EXPONENT_RE.match(s, runs[0].end())
    return "scientific" if exponent is not None and exponent.end() == runs[1].start() + 1 else "ambiguous"


def _is_power(s: str, run: re.Match[str]) -> bool:
    """Whether a digit run is the power of a unit (the 3 of 2m3, 2m³ read as NFKC), not a second number."""
    return any(
        s.endswith(unit, 0, run.start()) and run.group() in powers for unit, powers in _POWERED.items()
    )


def _actual_date(text: str, s: str, start: int, end: int) -> PartialDate | None:
    """A date in an actual value, if it is the only number-bearing part."""
    m = _ACTUAL_ISO_RE.fullmatch(s, start, end)
    if m and _DOTTED_NUMBER_RE.fullmatch(s, start, end):
        return None  # 2020.9, ≤2020.9: a number, its month kept (`NumericActual.as_date`) for a deadline
    if m and 1 <= int(m.group("month") or m.group("month2")) <= 12:
        return _make_date(text, m)
    for pattern in (*_ACTUAL_DATE_RES, _ACTUAL_ISO_BEFORE_RE):
        m = pattern.search(s, start, end)
        outside = s[start : m.start()] + s[m.end() : end] if m else ""
        if m and not any(c in _DIGITS for c in outside):
            return _make_date(text, m)
    return None


def _word_actual(text: str, s: str, start: int, end: int) -> WordActual:
    """An actual value without digits; signs alone are a missing number."""
    if not s[start:end].strip("≥≤<>=≈约 "):
        raise LiteralError("no_number", end, text)
    return WordActual(normalize(text))


def _numeric_actual(text: str, s: str, at: int, end: int) -> NumericActual:
    """The one number of an actual value, with its unit; the rest is free text. A ￥ (¥, 人民币, RMB, CNY)
    just before the number or a ￥ just after it is 元 (`_in_yuan`); another currency's sign or name there
    ($12900, US$12900, 12900€, 美元12900) is a `LiteralError`, never left out."""
    if at > 0 and s[at - 1] == "-":
        at -= 1
    sc = _Scanner(text, s, at, end)
    q = sc.quantity(strict=False)
    after = sc.currency_after()
    before = s[:at].rstrip()
    found = _currency_before(s, 0, at)
    if found is not None and not _in_yuan_word(found[0]):
        raise _foreign(text, found[1], found[0])
    if found is not None or after is not None:
        q = _in_yuan(q, text, at)
    if found is not None:
        before = before[: found[1]].rstrip()
        if before.endswith("-"):  # -￥5 is -5元, as -5 is (-￥-5 is no number)
            if q.number < 0:
                raise LiteralError("bad_number", len(before) - 1, text)
            q = Quantity(-q.number, q.scale, q.unit, q.dimension)
            before = before[:-1]
    approximate = any(w in s for w in APPROX_WORDS)
    dotted = _DOTTED_NUMBER_RE.fullmatch(s.strip())
    as_date = PartialDate(int(dotted["year"]), int(dotted["month"]), None) if dotted else None
    return NumericActual(q, approximate, restated=_signed(before), as_date=as_date)


def _in_yuan(q: Quantity, text: str, at: int) -> Quantity:
    """A number written with ￥: in 元 (￥12900 and 12900￥ are 12900元, ￥1.29万 is 1.29万元); written with a
    unit of 元 (￥12900元, ￥1.29万元) as written; with another unit (￥12人) a `LiteralError`."""
    if q.dimension == YUAN:
        return q
    if not q.dimension and (q.unit == "" or q.unit in MAGNITUDES):
        return Quantity.of(q.number, q.unit + YUAN)
    raise LiteralError("currency_unit", at, text)


def _signed(before: str) -> bool:
    """Whether the text before an actual's number ends in a comparison (≥266米, 不少于12场)."""
    head = normalize(before)
    return bool(head) and (head[-1] in "≥≤<>=" or head.endswith(tuple(_PREFIXES)))
