"""Why a test file is not valid YAML, in Chinese and English (E801), from PyYAML's English exception.

PyYAML says what it expected and what it found (`expected ',' or ']', but got '<scalar>'`) and, for a
problem found inside something that began earlier, what it was reading and where that began (`while
scanning a quoted scalar … found unexpected end of stream`). Each of its messages is matched here and
said again in Chinese; the English keeps PyYAML's words. A message not matched says only that the
YAML is malformed in Chinese, and PyYAML's words in English.
"""

from __future__ import annotations

import ast
import re
from typing import Any

# PyYAML's token names (the %r of `found`) in words
_TOKENS = {
    "<block mapping start>": "一个新的「键: 值」",
    "<block sequence start>": "一个新的列表",
    "<block end>": "缩进的结束",
    "<scalar>": "一段文字",
    "<stream end>": "文件结尾",
    "<stream start>": "文件开头",
    "<document start>": "「---」",
    "<document end>": "「...」",
    "<directive>": "「%」指令",
    "<alias>": "别名「*」",
    "<anchor>": "锚点「&」",
    "<tag>": "标签「!」",
    "?": "「?」",
    ":": "冒号「:」",
    "-": "列表项「-」",
    ",": "逗号「,」",
    "[": "「[」",
    "]": "「]」",
    "{": "「{」",
    "}": "「}」",
}
_CHARACTERS = {"\t": "制表符", " ": "空格", "\n": "换行", "\r": "换行", "\0": "文件结尾"}

_TAGS = "标签「!」或指令「%」写法有误（测试文件用不到它们）"
# PyYAML's problem (a regular expression, %r as a group) → the Chinese; {0} is the group in words
_PROBLEMS: tuple[tuple[str, str], ...] = (
    (r"found unexpected end of stream", "文件在这里就结束了"),
    (r"could not find expected ':'", "这里应有冒号「:」（键与值之间写「: 」）"),
    (r"mapping values are not allowed here", "这里不能再有「键: 值」（文字中有「: 」时请加引号）"),
    (
        r"found character (.*) that cannot start any token",
        "这里不能以{0}开头（缩进请用空格；以此开头的文字请加引号）",
    ),
    (r"expected <block end>, but found (.*)", "缩进不对：这一层到这里应已结束，却是{0}"),
    (r"expected '?<document start>'?, but found (.*)", "上面的内容到这里已结束，这里却是{0}（检查缩进）"),
    (r"expected the node content, but found (.*)", "这里应有一个值，却是{0}"),
    (r"expected ',' or '\]', but got (.*)", "「[…]」中这里应为逗号「,」或「]」，却是{0}"),
    (r"expected ',' or '}', but got (.*)", "「{{…}}」中这里应为逗号「,」或「}}」，却是{0}"),
    (r"invalid indentation or unclosed '\[' or '{'", "缩进不对，或「[」「{{」没有配对的「]」「}}」"),
    (
        r"found unknown escape character (.*)",
        "双引号中「\\」后不能是{0}（「\\」本身请写成「\\\\」，或改用单引号）",
    ),
    (
        r"expected escape sequence of (\d+) hexadecimal numbers, but found (.*)",
        "「\\x」「\\u」后应有 {0} 位十六进制数字",
    ),
    (r"found unexpected document separator", "引号中的文字不能有以「---」或「...」开头的行"),
    (
        r"but found another document|expected a single document in the stream",
        "一个测试文件只能有一个文档（不要用「---」分隔）",
    ),
    (r"sequence entries are not allowed here", "这里不能有列表项「- 」（检查缩进）"),
    (r"mapping keys are not allowed here", "这里不能有「? 」"),
    (r"expected alphabetic or numeric character, but found (.*)", "这里应为字母或数字，却是{0}"),
    (r"expected a comment or a line break, but found (.*)", "这里应为注释或换行，却是{0}"),
    (
        r"expected chomping or indentation indicators, but found (.*)",
        "「|」「>」后面只能是「+」「-」或一位数字",
    ),
    (r"expected indentation indicator in the range 1-9, but found 0", "「|」「>」后面的缩进数应为 1–9"),
    (r"special characters are not allowed", "文件中有不能出现的控制字符"),
    (r"(?:expected|found) .*(?:tag|directive|YAML|URI|'!'|'>'|digit|' ').*", _TAGS),
)
_CONTEXTS = (
    (r"while scanning a (?:double-|single-)?quoted scalar", "读引号中的文字时"),
    (r"while scanning a block scalar", "读「|」「>」后的多行文字时"),
    (r"while scanning a simple key", "读一个键时"),
    (r"while scanning an? (?:anchor|alias)", "读锚点或别名时"),
    (r"while scanning a (?:tag|directive)|while parsing a tag", "读标签或指令时"),
    (r"while parsing a block mapping", "读「键: 值」时"),
    (r"while parsing a block collection", "读一个列表时"),
    (r"while parsing a flow sequence", "读「[…]」时"),
    (r"while parsing a flow mapping", "读「{…}」时"),
    (r"while parsing a(?: \w+)? node", "读一个值时"),
)


def yaml_problem(exc: Any) -> tuple[str, str]:
    """The problem of a `yaml.YAMLError`, in Chinese and in English."""
    problem = str(getattr(exc, "problem", None) or getattr(exc, "reason", None) or "")
    context = str(getattr(exc, "context", None) or "")
    mark = getattr(exc, "context_mark", None)
    zh, en = _problem_zh(problem), problem or _first_line(exc)
    context_zh = _context_zh(context)
    if context_zh and mark is not None:
        line, column = mark.line + 1, mark.column + 1
        zh = f"{context_zh}（从第 {line} 行第 {column} 列开始）：{zh}"
        en = f"{context} (from line {line}, column {column}): {en}"
    return zh, en


def problem_position(exc: Any, text: str) -> tuple[int, int]:
    """The 1-based line and column of the problem (a character PyYAML refused has only an offset)."""
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return mark.line + 1, mark.column + 1
    position = getattr(exc, "position", None)
    if isinstance(position, int) and 0 <= position <= len(text):
        before = text[:position]
        return before.count("\n") + 1, position - before.rfind("\n")
    return 1, 1


def _problem_zh(problem: str) -> str:
    for pattern, zh in _PROBLEMS:
        found = re.fullmatch(pattern, problem)
        if found:
            return zh.format(*(_words(group) for group in found.groups()))
    return "YAML 的写法有误"


def _context_zh(context: str) -> str:
    return next((zh for pattern, zh in _CONTEXTS if re.fullmatch(pattern, context)), "")


def _words(found: str) -> str:
    """A token or a character PyYAML found (its repr) in words; a number as it is."""
    if not found.startswith(("'", '"')):
        return found
    try:
        text = str(ast.literal_eval(found))
    except (ValueError, SyntaxError):
        text = found
    return _TOKENS.get(text) or _CHARACTERS.get(text) or f"「{text}」"


def _first_line(exc: Any) -> str:
    return str(exc).split("\n", 1)[0]
