"""The message catalog: every diagnostic and finding code, in Chinese and English.

Each entry is ``code: (zh message, zh help, en message, en help)``; the
templates use ``{name}`` fields filled from the diagnostic's arguments.
docs/errors.md lists the same codes (a test keeps them in sync).
"""

from __future__ import annotations

import os
from fractions import Fraction
from itertools import count
from typing import Literal

Lang = Literal["zh", "en"]

_Entry = tuple[str, str, str, str]

CATALOG: dict[str, _Entry] = {
    # -- helpers used inside other messages ---------------------------------
    "did-you-mean": ("是不是要写「{name}」？", "", "did you mean “{name}”?", ""),
    "more-like-it": (
        "（该文件另有 {count} 个同类问题未列出，代码 {code}）",
        "",
        "(and {count} more like it ({code}) in this file, not shown)",
        "",
    ),
    # -- E1xx: reading and syntax -------------------------------------------
    "E101": (
        "语法错误：此处不应出现{found_zh}",
        "此处应为：{expected_zh}",
        "syntax error: unexpected {found_en}",
        "expected: {expected_en}",
    ),
    "E102": (
        "语法错误：文件在块结束之前就结束了，缺少「}}」",
        "第{open_line}行的「{{」没有对应的「}}」；请在块末尾补上「}}」",
        "syntax error: the file ends before the block is closed, “}}” is missing",
        "the “{{” on line {open_line} has no matching “}}”; add “}}” at the end of the block",
    ),
    "E103": (
        "指标「{name}」缺少分值",
        "在目标值后面写「分值 数字」，例如：{name} 目标 100% 分值 10",
        "indicator “{name}” has no weight",
        "write “weight NUMBER” after the target, e.g. {name} target 100% weight 10",
    ),
    "E104": (
        "目标值后面应为分值或换行，这里是{found_zh}",
        "每个指标占一行：名称 目标 目标值 分值 数字；目标值中间不能有空格，如有需要请加引号",
        "expected a weight or a line break after the target value, found {found_en}",
        "one indicator per line: NAME target VALUE weight NUMBER; quote a target that contains spaces",
    ),
    "E105": (
        "无法读取文件：{reason}",
        "请确认路径和文件名无误，文件存在且可读",
        "cannot read the file: {reason}",
        "check the path and the file name, and that the file exists and can be read",
    ),
    "E106": (
        "文件不是 UTF-8 编码（{guess}）",
        "请在编辑器中“另存为”UTF-8 编码后重试（WPS/Excel：另存为 → 编码 UTF-8）",
        "the file is not UTF-8 encoded ({guess})",
        "save it again as UTF-8 (WPS/Excel: Save As → encoding UTF-8)",
    ),
    "E107": (
        "文件为空",
        "评分规则文件应以「项目」或「评分办法」开头",
        "the file is empty",
        "a ruleset starts with “项目” (project) or “评分办法” (policy)",
    ),
    "E108": (
        "语法错误：多余的「}}」",
        "删除这个「}}」，或检查前面的「{{」是否配对",
        "syntax error: unmatched “}}”",
        "delete this “}}” or check the “{{” before it",
    ),
    "E109": (
        "语法错误：字符串缺少结束引号",
        '在字符串末尾补上引号「"」',
        "syntax error: the string has no closing quote",
        'add a closing quote “"”',
    ),
    "E110": (
        "嵌套过深（超过 {limit} 层）",
        "评分规则不需要这么深的括号嵌套，请检查括号是否配对",
        "nesting is too deep (more than {limit} levels)",
        "rulesets never need this much nesting; check the brackets",
    ),
    "E111": (
        "无法识别的目标值「{text}」：{reason}",
        "目标值的写法见 docs/language.md「字面量」，例如 ≥1.1万人、100%、≤90万元、合理、12月底前",
        "cannot read the target value “{text}”: {reason}",
        "see docs/language.md “literals”, e.g. ≥1.1万人, 100%, ≤90万元, 合理, 12月底前",
    ),
    "E112": (
        "无法识别的舍入方式「{text}」",
        "可用：四舍五入、截断、进位、银行家（half_up, truncate, up, half_even）",
        "unknown rounding mode “{text}”",
        "use 四舍五入, 截断, 进位, 银行家 (half_up, truncate, up, half_even)",
    ),
    "E113": (
        "「{keyword}」在同一处写了两次",
        "删除其中一处",
        "“{keyword}” is given twice here",
        "delete one of them",
    ),
    "E114": (
        "指标「{name}」缺少目标值",
        "写「目标 目标值」，例如 目标 ≥1.1万人、目标 100%、目标 合理；或用「得分 = 公式」给出得分",
        "indicator “{name}” has no target",
        "write “target VALUE”, e.g. target ≥1.1万人, target 100%, target 合理; or give “score = FORMULA”",
    ),
    "E120": (
        "「{year}」不是有效的年度",
        "写四位数的年份，例如 年度 2020",
        "“{year}” is not a valid year",
        "write a four-digit year, e.g. year 2020",
    ),
    # -- E2xx: names ---------------------------------------------------------
    "E201": (
        "未知的指标「{name}」",
        "引用的指标必须在本规则中定义",
        "unknown indicator “{name}”",
        "a referenced indicator must be defined in this ruleset",
    ),
    "E202": (
        "未知的量表「{name}」",
        "量表须在评分办法中用「量表 名称 {{ … }}」定义",
        "unknown scale “{name}”",
        "define scales in the policy with “scale NAME {{ … }}”",
    ),
    "E203": (
        "未知的评分方法「{name}」",
        "可用：{choices}",
        "unknown scoring method “{name}”",
        "available: {choices}",
    ),
    "E204": (
        "找不到评分办法「{name}」",
        '「采用」后写评分办法文件的相对路径（不含 .jx），例如 采用 "standard/central"；评分办法在别的文件夹时用 --root 指定；已查找：{searched}',
        "cannot find the policy “{name}”",
        'write the policy file\'s relative path without .jx after “use”, e.g. use "standard/central"; name a folder holding policies with --root; searched: {searched}',
    ),
    "E205": (
        "指标「{name}」重复定义（第一次在第{first_line}行）",
        "同一个二级指标下的三级指标名称不能重复；删除或改名其中一个",
        "indicator “{name}” is defined twice (first on line {first_line})",
        "names under one level-2 indicator must differ; delete or rename one",
    ),
    "E206": (
        "定性目标「{word}」不在任何量表中",
        "量表只认其中写出的词。{how}",
        "the qualitative target “{word}” is in no scale",
        "a scale knows only the words written in it. {how}",
    ),
    "E207": (
        "指标之间循环引用：{cycle}",
        "派生的实际值不能直接或间接引用自己",
        "indicators reference each other in a cycle: {cycle}",
        "a derived actual value cannot depend on itself",
    ),
    "E208": (
        "未知的名称「{name}」",
        "公式中可用：{choices}",
        "unknown name “{name}”",
        "names available in formulas: {choices}",
    ),
    "E210": (
        "评分办法之间循环采用：{cycle}",
        "评分办法不能直接或间接采用自己",
        "policies use each other in a cycle: {cycle}",
        "a policy cannot use itself, directly or indirectly",
    ),
    "E211": (
        "指标「{name}」在多个位置出现，引用有歧义",
        "写完整路径：一级/二级/三级",
        "indicator “{name}” is ambiguous",
        "write the full path level1/level2/name",
    ),
    "E212": (
        "函数「{name}」需要 {expected} 个参数，这里给了 {got} 个",
        "",
        "function “{name}” takes {expected} arguments, {got} given",
        "",
    ),
    "E213": (
        "「{word}」不是可用的选项",
        "可用：{choices}",
        "“{word}” is not an option here",
        "available: {choices}",
    ),
    "E215": (
        "「{name}」是评分办法，不是项目；评分需要项目规则",
        '用项目文件评分：项目中写 采用 "…" 引用这个评分办法，并列出指标；填好的自评表可用 '
        "jixiao import --policy 评分办法 生成项目规则，或用 jixiao audit 评分办法 自评表 按评分办法复核",
        "“{name}” is a policy, not a project: scoring needs a project ruleset",
        'score a project file that uses this policy (use "…") and lists the indicators; make one from a '
        "filled-in table with jixiao import --policy POLICY, or check the table against the policy alone "
        "with jixiao audit POLICY TABLE",
    ),
    # -- E3xx: units and types ------------------------------------------------
    "E301": (
        "单位不一致：「{left}」与「{right}」不能比较",
        "{left_dim}和{right_dim}是不同的量；检查目标值或实际值的单位",
        "units do not match: “{left}” cannot be compared with “{right}”",
        "{left_dim} and {right_dim} are different quantities; check the units",
    ),
    "E302": (
        "目标「{target}」不适合评分方法「{method}」",
        "{reason}",
        "target “{target}” does not suit the method “{method}”",
        "{reason}",
    ),
    "E303": (
        "舍入位数 {digits} 超出范围",
        "舍入位数应为 0 到 6 之间的整数",
        "rounding digits {digits} out of range",
        "digits must be a whole number from 0 to 6",
    ),
    # -- E4xx: domain checks ----------------------------------------------------
    "E401": (
        "各指标分值合计 {sum}，应为 {expected}",
        "{detail}",
        "the indicator weights add up to {sum}, expected {expected}",
        "{detail}",
    ),
    "E402": (
        "分值必须大于 0，这里是 {weight}",
        "不计分的指标请删除；不适用的指标在实际值文件中填「/」",
        "a weight must be above 0, here {weight}",
        "delete indicators that do not score; mark not-applicable ones “/” in the actual-value file",
    ),
    "E403": (
        "等级划分有{problem}：{detail}",
        "等级区间应覆盖 0 到 {total}，互不重叠，例如 优 ≥90 良 ≥80 中 ≥60 差 其余",
        "the grade bands have {problem}: {detail}",
        "grade bands must cover 0 to {total} without overlap, e.g. 优 ≥90 良 ≥80 中 ≥60 差 else",
    ),
    "E404": (
        "「{level}」分值合计 {sum}，结构规定为 {expected}",
        "调整该一级指标下各指标的分值，或修改「结构」",
        "“{level}” weights add up to {sum}, the framework says {expected}",
        "adjust the weights under this level or the framework",
    ),
    "E405": (
        "{what}的区间超出 0%~100%：{detail}",
        "定性档次和得分比例应在 0% 到 100% 之间；以分写的档次得分应在 0 到指标的分值之间",
        "{what} lies outside 0%–100%: {detail}",
        "qualitative bands and score fractions lie between 0% and 100%; a band's score in points between 0 and the weight",
    ),
    "E406": (
        "量表「{scale}」的档次没有从高到低排列：{detail}",
        "按得分从高到低书写各档",
        "the levels of scale “{scale}” are not in descending order: {detail}",
        "write the levels from highest to lowest score",
    ),
    "E415": (
        "等级「{name}」的界限「{text}」{problem}",
        "等级按总得分的分数划分，界限写分数，例如 优 ≥90",
        "the bound “{text}” of the grade “{name}” {problem}",
        "grades divide the total score: write the bound in points, e.g. 优 ≥90",
    ),
    "E416": (
        "指标「{name}」分值 {weight}，而适用于它的分档（{where}）给 {points}分：{detail}",
        "按目标类别写的分档（如评分办法中的 正向 分档 {{ … }}）对这类目标的每个指标都一样，"
        "以分写的档次得分不能超过其中任何一个指标的分值。把档次写成分值的百分比（如 → 100%），"
        "或给本指标写自己的 方法 分档 {{ … }}，或提高本指标的分值",
        "the indicator “{name}” has the weight {weight}, but the bands for its kind of target ({where}) "
        "give {points} points: {detail}",
        "bands written for a kind of target (such as 正向 分档 {{ … }} in a policy) score every indicator of "
        "that kind alike, so a band score in points may not exceed any one's weight. Write the bands as a "
        "share of the weight (→ 100%), give this indicator its own 方法 分档 {{ … }}, or raise its weight",
    ),
    # -- E5xx: actual-value files -------------------------------------------------
    "E501": (
        "实际值文件缺少列「{column}」",
        "第一行应为表头：{expected}",
        "the actual-value file has no column “{column}”",
        "the first row is the header: {expected}",
    ),
    "E502": (
        "未知的列「{column}」",
        "可用的列：{expected}",
        "unknown column “{column}”",
        "known columns: {expected}",
    ),
    "E503": (
        "规则中没有指标「{name}」",
        "实际值文件中的三级指标名称须与规则一致",
        "the ruleset has no indicator “{name}”",
        "names in the actual-value file must match the ruleset",
    ),
    "E504": (
        "指标「{name}」缺少实际完成值",
        "填写实际完成值；不适用的指标填「/」",
        "indicator “{name}” has no actual value",
        "fill in the actual value; write “/” for not applicable",
    ),
    "E505": (
        "无法识别的实际完成值「{text}」：{reason}",
        "按表格写法填写，例如 1.11万人、93.76%、合理、12月20日；不适用填「/」",
        "cannot read the actual value “{text}”: {reason}",
        "write it as tables do, e.g. 1.11万人, 93.76%, 合理, 12月20日; “/” for not applicable",
    ),
    "E506": (
        "实际值「{actual}」与目标「{target}」单位不一致",
        "{actual_dim}不能与{target_dim}比较；请核对单位",
        "the actual value “{actual}” does not match the unit of the target “{target}”",
        "{actual_dim} cannot be compared with {target_dim}; check the unit",
    ),
    "E507": (
        "指标「{name}」重复出现（第一次在第{first_row}行）{first_hidden}",
        "每个指标只填一行；删除重复的行",
        "indicator “{name}” appears twice (first on row {first_row}){first_hidden}",
        "give each indicator one row; delete the duplicate",
    ),
    "E508": (
        "实际值文件缺少指标「{name}」",
        "为每个指标填一行；不适用的指标实际完成值填「/」",
        "the actual-value file has no row for “{name}”",
        "give every indicator a row; write “/” for not applicable",
    ),
    "E509": (
        "单元格内是公式或错误值「{text}」",
        "请粘贴为数值（Excel/WPS：选择性粘贴 → 数值）",
        "the cell holds a formula or an error value “{text}”",
        "paste values only (Excel/WPS: Paste Special → Values)",
    ),
    "E510": (
        "预算数据「{name}」缺失或无法识别",
        "填写预算执行行：一级指标列写「预算执行」，二级指标列写「年度资金总额」，三级指标列写 年初预算数、全年预算数、全年执行数",
        "the budget figure “{name}” is missing or unreadable",
        "add budget rows: level 1 “预算执行”, level 2 “年度资金总额”, name 年初预算数 / 全年预算数 / 全年执行数",
    ),
    "E511": (
        "调整得分「{score}」{problem}",
        "调整得分须在 0 到分值 {weight} 之间，并在「调整理由」列写明理由",
        "the adjusted score “{score}” {problem}",
        "an adjusted score lies between 0 and the weight {weight} and has a reason in “调整理由”",
    ),
    "E534": (
        "第{row}行在没有表头的列中有数值「{text}」，它不属于任何一列，未读取",
        "若它是某一列的值，请给这一列写上表头（如「得分」「调整得分」）；若不需要，请删去",
        "row {row} has the figure “{text}” in a column without a header: it belongs to no column and is "
        "not read",
        "if it is a column's value, give the column its header (e.g. 得分, 调整得分); if not, delete it",
    ),
    "E512": (
        "第{row}行有 {got} 列，表头有 {expected} 列",
        "检查是否有多余或缺少的逗号；含逗号的文字请加英文双引号",
        "row {row} has {got} cells, the header has {expected}",
        "check for extra or missing commas; quote text that contains commas",
    ),
    "E513": (
        "预算行「{name}」未知",
        "可用：{expected}",
        "unknown budget row “{name}”",
        "known: {expected}",
    ),
    "E515": (
        "指标「{name}」在规则中属于「{where}」，实际值文件写的是「{written}」",
        "改正一级、二级指标列，或把规则改成表中的层级；在自评表中空白的一级、二级即同上（按上一行的读），"
        "简单表格中留空则只按三级指标名称对应",
        "indicator “{name}” is under “{where}” in the ruleset, but the file says “{written}”",
        "correct the level columns, or the ruleset's levels; in a printed self-evaluation table a blank level "
        "is the one above (同上), in a simple table a blank level matches by name alone",
    ),
    # -- E6xx: evaluation ------------------------------------------------------------
    "E601": (
        "计算「{what}」时除数为 0",
        "检查实际值或目标值是否为 0；必要时在公式中用「如果 … 则 … 否则 …」处理",
        "division by zero while computing “{what}”",
        "check for a zero actual or target value; guard the formula with if … then … else …",
    ),
    "E602": (
        "计算「{what}」时类型不符：{detail}",
        "条件（比较、且/或/非）只能用在「如果 … 则 … 否则 …」中，算术要的是数；"
        "「实际」只在实际值是数时有值，「目标」只在目标是一个数时有值",
        "type mismatch while computing “{what}”: {detail}",
        "a condition (a comparison, and/or/not) belongs in “if … then … else …”, arithmetic needs numbers;"
        " 实际 has a value only when the actual is a number, 目标 only when the target is one number",
    ),
    "E603": (
        "指标「{name}」的实际值「{actual}」不能用目标「{target}」评分",
        "{reason}",
        "the actual value “{actual}” of “{name}” cannot be scored against the target “{target}”",
        "{reason}",
    ),
    # -- jixiao check (issue 3): syntax, units, formulas, framework; W: warnings ------------
    "E115": (
        "关键字「{keyword}」后面不要写冒号或等号",
        "直接写值，例如 目标 100%、分值 10",
        "no colon or equals sign after the keyword “{keyword}”",
        "write the value right after it, e.g. target 100%, weight 10",
    ),
    "E116": (
        "数值「{value}」和单位「{unit}」之间不能有空格",
        "写成 {value}{unit}",
        "no space between the value “{value}” and the unit “{unit}”",
        "write {value}{unit}",
    ),
    "E117": (
        "分值应为数字，这里是「{text}」",
        "分值写一个正数，例如 分值 10（不要写单位“分”）",
        "a weight is a number, found “{text}”",
        "write a positive number, e.g. weight 10 (without a unit)",
    ),
    "E118": (
        "第{open_line}行的块还没有用「}}」结束，这里就开始了新的块",
        "在第{next_line}行之前补上「}}」",
        "the block opened on line {open_line} is not closed with “}}” before a new block starts here",
        "add “}}” before line {next_line}",
    ),
    "E119": (
        "「方法」后面缺少评分方法的名称",
        "可用：比例、线性递减、达标、分档 {{ … }}、扣分(每次: 2分)、量表(名称)",
        "“method” is not followed by the name of a scoring method",
        "available: ratio, linear_decay, pass_fail, bands {{ … }}, deduct(each: 2), scale(NAME)",
    ),
    "E304": (
        "指标「{name}」计的是{what}，目标「{target}」的单位却是{dim}",
        "核对目标值的单位，例如人数写 ≥1.1万人，金额写 ≤90万元",
        "indicator “{name}” counts {what}, but the target “{target}” is in {dim}",
        "check the unit of the target, e.g. ≥1.1万人 for people, ≤90万元 for money",
    ),
    "E305": (
        "公式可能除以 0：「{divisor}」可以为 0",
        "先判断除数，例如 如果 {divisor} > 0 则 … 否则 0",
        "the formula can divide by zero: “{divisor}” can be 0",
        "guard the divisor, e.g. if {divisor} > 0 then … else 0",
    ),
    "E310": (
        "公式除以 0：除数「{divisor}」{why}",
        "{fix}",
        "the formula divides by zero: the divisor “{divisor}” {why}",
        "{fix}",
    ),
    "E306": (
        "公式的单位与目标不一致：{left}与{right}",
        "实际值公式的结果应与目标值同一单位（人数对人数，金额对金额）",
        "the formula's unit does not match the target: {left} vs {right}",
        "an actual-value formula yields the target's unit (people for people, money for money)",
    ),
    "E308": (
        "公式中的「{text}」是{got}，这里要的是{want}",
        "{fix}",
        "“{text}” in the formula is a {got}, but a {want} is needed here",
        "{fix}",
    ),
    "E309": (
        "「{name}」在此没有值：{why}",
        "{fix}",
        "“{name}” has no value here: {why}",
        "{fix}",
    ),
    "E408": (
        "「结构」各项合计 {sum}，应为总分 {total}",
        "结构中各一级指标（含预算执行）的分值之和应等于总分，例如 产出50 效益30 满意度10 预算10",
        "the framework adds up to {sum}, the total is {total}",
        "the shares of the framework (budget included) add up to the total, e.g. 50/30/10/10",
    ),
    "W101": (
        "分档有空档：{detail}",
        "加一档「否则 → 0%」写明其余情况的得分",
        "the bands leave a hole: {detail}",
        "add a band “else → 0%” for everything else",
    ),
    "W107": (
        "分档「{band}」永远用不到：{detail}",
        "分档从上到下取第一个符合的档次：把条件较严的档次写在前面，或改正重叠的区间",
        "the band “{band}” is never used: {detail}",
        "the first band that matches wins: put the stricter condition first, or fix the overlapping ranges",
    ),
    "W114": (
        "分档「{band}」与前面的档次部分重叠：{detail}",
        "分档从上到下取第一个符合的档次，这一档只用于其余的值；如非本意，改正区间使各档互不重叠（相邻两档至多共用一个端点）",
        "the band “{band}” partly overlaps the bands above: {detail}",
        "the first band that matches wins, so this band scores only the other values; if that is not meant,"
        " fix the ranges so they do not overlap (neighbours share at most one end)",
    ),
    "W108": (
        "目标「{target}」是{kind}：「实际」只在实际值文件填了数（如 100%）时有值",
        "实际值填文字或日期时这个公式无法计算（E602）；定性、时限目标一般按量表或达标评分，不写得分公式",
        "the target “{target}” is {kind}: 实际 has a value only when the actual-value file gives a number (100%)",
        "the formula cannot be computed when the actual is a word or a date (E602); a word or a deadline"
        " target is usually scored by its scale or pass/fail, without a formula",
    ),
    "W102": (
        "量表「{name}」没有被使用",
        "删除这个量表，或在指标的目标中使用它的词",
        "the scale “{name}” is never used",
        "delete it, or use one of its words as a target",
    ),
    "W103": (
        "评分方法「{method}」不使用参数「{name}」",
        "可用的参数：{choices}",
        "the method “{method}” does not use the parameter “{name}”",
        "its parameters: {choices}",
    ),
    "W104": (
        "这条{what}与所采用的评分办法相同，没有覆盖任何内容",
        "删除这一条；项目只需写出与评分办法不同之处",
        "this {what} is the same as in the policy used: it overrides nothing",
        "delete it; a project states only what differs from its policy",
    ),
    "W105": (
        "公式得分最高可达 {bound}，超过分值 {weight}，且没有封顶",
        "用 封顶(…, 分值) 或 min(…, 分值) 限定得分",
        "the formula can score up to {bound}, above the weight {weight}, and is not capped",
        "cap it with cap(…, weight) or min(…, weight)",
    ),
    "W106": (
        "目标值「{text}」的量级可疑：{reason}",
        "核对数量级和单位，例如 ≥110% 还是 ≥11000%",
        "the target “{text}” has a doubtful magnitude: {reason}",
        "check the magnitude and the unit",
    ),
    "W109": (
        "指标「{name}」的目标「{target}」中，单位「{unit}」不是已知的单位，像是写错了",
        "不认识的单位自成一类，与其他单位都不能比较：实际值写成别的单位时评分报 E506，只写数字时按这个单位计",
        "the unit “{unit}” in the target “{target}” of “{name}” is not a known unit and looks like a typo",
        "an unknown unit is a kind of its own that compares with no other: an actual in another unit is E506 "
        "at scoring, a bare number is read in this unit",
    ),
    # -- E80x: golden test files (jixiao test) ---------------------------------------------
    "E801": (
        "测试文件不是有效的 YAML：{problem}",
        "检查缩进（用空格，不用制表符）和冒号后的空格；含冒号或 # 的文字请加引号",
        "the test file is not valid YAML: {problem}",
        "check the indentation (spaces, not tabs) and the space after each colon; quote text with : or #",
    ),
    "E802": (
        "测试文件{where}：{problem}",
        "测试文件的结构：cases 下每个用例有 name、actuals 或 rows、expect（total、grade、budget、scores、findings、errors）",
        "in the test file{where}: {problem}",
        "a test file has cases, each with name, actuals or rows, and expect (total, grade, budget, scores, findings, errors)",
    ),
    "E803": (
        "测试文件中的指标「{name}」：{problem}",
        "写规则中的三级指标名称；期望得分中重名时写成 二级指标/三级指标，行中重名时再给出 一级指标、二级指标",
        "the indicator “{name}” in the test file: {problem}",
        "use a 三级指标 name of the ruleset; when a name repeats write 二级指标/三级指标 in expected scores, or give 一级指标 and 二级指标 in a row",
    ),
    "E804": (
        "在 {paths} 下没有找到测试文件",
        "测试文件与规则文件放在一起，命名为 名称.test.yaml（如 2020.test.yaml）",
        "no test files found under {paths}",
        "put a test file beside its ruleset, named NAME.test.yaml (e.g. 2020.test.yaml)",
    ),
    "E808": (
        "「{name}」是规则文件，不是测试文件，旁边也没有它的测试文件 {test}",
        "jixiao test 运行评分测试：给出测试文件（名称.test.yaml）或它们所在的文件夹；给出规则文件时运行它旁边的 {test}。"
        "要为这个规则写测试，在它旁边建 {test}（写法见 docs/cli.md 的 jixiao test 一节）；只检查规则写得对不对用 jixiao check",
        "“{name}” is a ruleset, not a test file, and there is no test file {test} beside it",
        "jixiao test runs golden tests: give test files (NAME.test.yaml) or a folder holding them; a "
        "ruleset given runs the {test} beside it. To test this ruleset, write {test} beside it (see "
        "docs/cli.md, jixiao test); to check the ruleset itself, use jixiao check",
    ),
    "E805": (
        "测试文件中键「{key}」重复",
        "同一层级的键只能写一次（英文与中文写法是同一个键，如 total 与 总分）；删除或合并重复的一项",
        "the key “{key}” is repeated in the test file",
        "a key may appear once per mapping (its English and Chinese spellings are one key, e.g. total and 总分); remove or merge the repeated one",
    ),
    "E807": (
        "测试文件中的代码「{code}」：{problem}",
        "findings（复核提示）写 F 开头的代码，errors（错误）写 E 或 W 开头的代码，见 docs/errors.md；检查是否写错",
        "the code “{code}” in the test file: {problem}",
        "findings are F codes and errors are E or W codes, listed in docs/errors.md; check for a typo",
    ),
    "E806": (
        "用例「{name}」没有给出实际值",
        "写 actuals: 实际值文件.csv，或在 rows: 下逐行给出实际值（也可两者都写，rows 覆盖文件中的同名行）",
        "the case “{name}” gives no actual values",
        "write actuals: FILE.csv, or list rows: inline (or both: rows replace the file's rows of the same name)",
    ),
    "E514": (
        "实际值文件第{line}行无法按 CSV 读取：{reason}",
        "用 WPS/Excel 打开后“另存为 CSV（逗号分隔）”；含逗号或换行的文字请加英文双引号",
        "line {line} of the actual-value file is not valid CSV: {reason}",
        "save it again as CSV (comma separated); quote text that contains commas or line breaks",
    ),
    "E604": (
        "所有指标都不适用，无法计算总分",
        "至少为一个指标填写实际完成值；确实全部不适用的项目不应按本规则评分",
        "every indicator is not applicable: there is no total to compute",
        "give an actual value for at least one indicator; a project where nothing applies is not scored by this ruleset",
    ),
    # -- F: findings in a scored result (not errors) -----------------------------------
    "F101": (
        "得分低于分值或偏差较大，但未填写偏差原因分析及改进措施",
        "",
        "the score is below the weight or the deviation is large, but no explanation is given",
        "",
    ),
    "F102": (
        "实际值 {actual} 达到目标的 {ratio}，超过 {threshold}，需复核",
        "",
        "the actual value {actual} is {ratio} of the target, above {threshold}: review it",
        "",
    ),
    "F103": (
        "不适用，分值 {weight} 已{how}",
        "",
        "not applicable; its weight {weight} was {how}",
        "",
    ),
    "F104": (
        "人工调整得分：公式得分 {formula}，调整为 {adjusted}，理由：{reason}",
        "",
        "manual adjustment: formula score {formula}, adjusted to {adjusted}, reason: {reason}",
        "",
    ),
    "F105": (
        "实际值未写单位，按目标的单位「{unit}」计",
        "",
        "the actual value has no unit; read in the target's unit “{unit}”",
        "",
    ),
    "F106": (
        "预算执行率 {rate} 符合需说明的条件，但未填写原因",
        "",
        "the execution rate {rate} requires an explanation, but none is given",
        "",
    ),
    "F108": (
        "实际值文件填写「{written}」，按规则计算为 {derived}，两者不一致；评分按计算值",
        "",
        "the file says “{written}” but the ruleset computes {derived}; the computed value is scored",
        "",
    ),
    "F109": (
        "实际值「{text}」按 {value} 计",
        "",
        "the actual value “{text}” is taken as {value}",
        "",
    ),
    "F107": (
        "实际值为约数「{text}」，按 {value} 计",
        "",
        "the actual value is approximate “{text}”, taken as {value}",
        "",
    ),
    # -- E97x–E98x: the HTTP API and the workbench (jixiao serve) ---------------------
    "E970": (
        "{what}超过 {limit}",
        "{advice}",
        "{what} is larger than {limit}",
        "{advice}",
    ),
    "E971": (
        "请求内容不符合要求：{where}：{problem}",
        '请按 /v1/openapi.json 中的格式提交；实际值的单元格要写成文字（"93.76%"），不要写成数字',
        "the request is not as expected: {where}: {problem}",
        'follow the shapes in /v1/openapi.json; cells of actual values are text ("93.76%"), never numbers',
    ),
    "E972": (
        "不支持的内容类型「{got}」，应为 {expected}",
        "JSON 请求加上请求头 Content-Type: application/json；上传文件（CSV、xlsx、YAML…）用 text/csv 或 application/octet-stream",
        "unsupported content type “{got}”, expected {expected}",
        "send JSON with Content-Type: application/json; upload files (CSV, xlsx, YAML…) as text/csv or application/octet-stream",
    ),
    "E973": (
        "请求头 {header}「{value}」不是这个服务自己的地址，请求被拒绝",
        "在浏览器中打开 jixiao serve 打印的地址（如 http://127.0.0.1:8765/ 或 http://localhost:8765/）；别的网站的"
        "网页不能调用这个服务。经反向代理访问时，让代理发送 Host: 127.0.0.1:端口，不要转发 Origin",
        "the request's {header} “{value}” is not this server's own address; the request was refused",
        "open the address jixiao serve prints (such as http://127.0.0.1:8765/ or http://localhost:8765/); pages "
        "of other sites cannot call this server. Behind a reverse proxy, have it send Host: 127.0.0.1:PORT and "
        "drop Origin",
    ),
    "E974": (
        "所服务的文件夹中没有文件「{name}」",
        "文件名相对于所服务的文件夹，用 / 分隔，不能含「..」；可从 /v1/files 查看全部文件",
        "the served folder has no file “{name}”",
        "names are relative to the served folder, separated by /, without “..”; /v1/files lists them",
    ),
    "E975": (
        "规则文本有 {size} 个字符，超过上限 {limit}",
        "一个项目的评分规则不会这么长；请检查是否提交错了文件",
        "the ruleset text has {size} characters, more than the limit of {limit}",
        "no project's ruleset is this long; check that the right file was sent",
    ),
    "E976": (
        "{job}超过时限 {seconds} 秒，已停止",
        "{advice}",
        "{job} took longer than {seconds} s and was stopped",
        "{advice}",
    ),
    "E977": (
        "服务器正忙，请稍后重试",
        "等待 {retry} 秒后重试；批量评分请用 /v1/score:batch 一次提交",
        "the server is busy, try again later",
        "retry after {retry} s; send a batch through /v1/score:batch in one request",
    ),
    "E978": (
        "文件「{name}」在打开之后已被修改，没有保存",
        "先取回文件现在的内容（工作台：冲突栏上的“对照”按钮；接口：GET /v1/files/{name} 得到新的 hash），合并您的改动后用新的 hash 保存；您的文本没有丢",
        "the file “{name}” changed on disk after it was opened; it was not saved",
        "fetch the file as it is now (workbench: the conflict bar's 对照; API: GET /v1/files/{name} for its new hash), merge your changes and save with that hash; your text is not lost",
    ),
    "E979": (
        "一次批量评分有 {count} 个项目，最多 {limit} 个",
        "分成几次提交",
        "the batch has {count} projects, at most {limit} are allowed",
        "split it into several requests",
    ),
    "E980": (
        "规则已经改变：哈希为 {got}，请求要求 {expected}",
        "重新读取规则（/v1/check 返回当前哈希），确认改动后再评分",
        "the ruleset changed: its hash is {got}, the request pinned {expected}",
        "reload the ruleset (/v1/check returns its current hash) and score again after reviewing the change",
    ),
    "E981": (
        "没有这个接口：{method} {path}",
        "可用的接口见 /v1/openapi.json",
        "no such endpoint: {method} {path}",
        "the endpoints are listed in /v1/openapi.json",
    ),
    "E982": (
        "服务器内部错误（{kind}），请求没有完成",
        "这是 jixiao 的缺陷，请把请求内容和这条消息报告给维护者",
        "internal server error ({kind}); the request was not completed",
        "this is a bug in jixiao: please report the request and this message to the maintainers",
    ),
    "E983": (
        "不能保存「{name}」：{reason}",
        "只能保存所服务文件夹中的 .jx、.csv 和 .test.yaml 文件；只读启动（--read-only 或 --token-file）时既不能保存，"
        "也不能更新测试的期望值",
        "cannot save “{name}”: {reason}",
        "only .jx, .csv and .test.yaml files inside the served folder can be saved; a read-only server "
        "(--read-only, --token-file) neither saves files nor updates test expectations",
    ),
    "E985": (
        "缺少或错误的访问令牌",
        "在请求头中加上 Authorization: Bearer 令牌（令牌在启动 jixiao serve 时由 --token-file 给出）",
        "the access token is missing or wrong",
        "send the header Authorization: Bearer TOKEN (the token given to jixiao serve with --token-file)",
    ),
    "E990": (
        "jixiao serve 无法在 {address} 上监听：{reason}",
        "换一个端口（--port 8765），或不写 --port 让 jixiao 选一个空闲端口；--host 须是本机的地址"
        "（默认 127.0.0.1）",
        "jixiao serve cannot listen on {address}: {reason}",
        "choose another port (--port 8765), or leave --port out for a free one; --host must be an address of "
        "this machine (default 127.0.0.1)",
    ),
    "E984": (
        "jixiao serve 需要网页组件，当前没有安装",
        '执行：python -m pip install "jixiao[web]"（在源码目录中：python -m pip install -e ".[web]"）',
        "jixiao serve needs the web extra, which is not installed",
        'run: python -m pip install "jixiao[web]" (in a source checkout: python -m pip install -e ".[web]")',
    ),
    # -- diff at scale: folders, policies, revisions (E702–E719, W140–W149) ----------------
    "E702": (
        "找不到 git 命令，无法读取版本「{rev}」",
        "安装 Git（Windows 上是 Git for Windows）并确认命令行中能运行 git；也可以把两个版本的文件分别放进两个文件夹，运行 jixiao diff 旧文件夹 新文件夹",
        "the git command was not found, so the revision “{rev}” cannot be read",
        "install Git and make sure `git` runs from the command line; or put the two versions in two folders and run jixiao diff OLD_DIR NEW_DIR",
    ),
    "E703": (
        "{path} 不在 git 仓库中",
        "在仓库里运行 jixiao diff --rev，或给出仓库中的路径",
        "{path} is not inside a git repository",
        "run jixiao diff --rev inside the repository, or give paths inside it",
    ),
    "E704": (
        "git 仓库中没有版本「{rev}」：{detail}",
        "用 git log --oneline 查看可用的版本；常见写法：HEAD~1（上一次提交）、main（分支）、提交号的前几位",
        "the git repository has no revision “{rev}”: {detail}",
        "list revisions with git log --oneline; common forms: HEAD~1 (the previous commit), main (a branch), the first digits of a commit id",
    ),
    "E705": (
        "--git 按 git 外部比较程序的约定需要 7 个参数（路径 旧文件 旧哈希 旧权限 新文件 新哈希 新权限），收到 {count} 个",
        '--git 由 git 调用，不必手动运行：在 git 配置中写 diff.jixiao.command = "jixiao diff --git"（见 docs/cli.md）；手动比较两个文件用 jixiao diff 旧.jx 新.jx',
        "--git takes the 7 arguments of git's external diff convention (path old-file old-hex old-mode new-file new-hex new-mode); got {count}",
        'git calls --git itself: set diff.jixiao.command = "jixiao diff --git" in the git configuration (see docs/cli.md); to compare two files by hand run jixiao diff OLD.jx NEW.jx',
    ),
    "E706": (
        "「{path}」是{kind}，而「{other}」是{other_kind}：两边须同为规则文件或同为文件夹",
        "比较两个规则文件：jixiao diff 旧.jx 新.jx；比较两个文件夹中的全部项目：jixiao diff 旧文件夹 新文件夹",
        "“{path}” is a {kind} but “{other}” is a {other_kind}: both must be ruleset files or both folders",
        "compare two rulesets with jixiao diff OLD.jx NEW.jx, every project of two folders with jixiao diff OLD_DIR NEW_DIR",
    ),
    "E707": (
        "--projects 比较的是两份评分办法，而「{path}」是项目「{name}」",
        "给出旧、新两份评分办法文件（以「评分办法」开头），--projects 指向使用它们的项目所在的文件夹",
        "--projects compares two policies, but “{path}” is the project “{name}”",
        "give the old and the new policy file (starting with 评分办法 / policy); --projects names the folder of the projects that use it",
    ),
    "E708": (
        "{path} 中没有规则文件（.jx）",
        "确认文件夹路径；规则文件的扩展名须是 .jx",
        "{path} holds no ruleset file (.jx)",
        "check the folder; ruleset files end in .jx",
    ),
    "E709": (
        "版本 {rev} 和工作区中都没有 {path}",
        "用 git ls-tree -r --name-only {rev} 查看该版本中的文件；路径相对于当前目录",
        "neither the revision {rev} nor the working tree has {path}",
        "list the files of that revision with git ls-tree -r --name-only {rev}; paths are relative to the current folder",
    ),
    "W140": (
        "指标「{name}」在实际值 {actuals} 中没有实际完成值：{side}下按不适用计算，得分影响记为「无实际值」",
        "在实际值文件中为它加一行，两边的得分才可比较（按另一边的规则评分时会忽略这一行）",
        "the indicator “{name}” has no actual value in {actuals}: under the {side} it is scored as not applicable and its impact is marked “no actual value”",
        "add a row for it to the actual-value file to compare its scores (scoring under the other rules ignores that row)",
    ),
    "W141": (
        "实际值 {actuals} 对不上任何项目",
        "实际值文件按文件名（p01.csv、p01.actuals.csv 对应 p01.jx）或项目名称对应规则；请改文件名",
        "the actual values {actuals} match no project",
        "actual values match a ruleset by file name (p01.csv or p01.actuals.csv for p01.jx) or by project name; rename the file",
    ),
    "W142": (
        "{count} 个文件的项目名称都是「{name}」：{files}",
        "这些文件按文件名与另一边对应；不同的项目请用不同的名称",
        "{count} files name the same project “{name}”: {files}",
        "they are paired with the other side by file name; give different projects different names",
    ),
    "W143": (
        "{projects} 中没有项目采用评分办法「{name}」",
        '项目用「采用 "…"」引用评分办法；检查 --projects 指向的文件夹，以及评分办法的名称和位置',
        "no project in {projects} uses the policy “{name}”",
        'a project uses a policy with 采用 / use "…"; check the --projects folder and the policy\'s name and place',
    ),
    # -- E950–E969: writing output (writers) -------------------------------------------
    "E915": (
        "环境变量 SOURCE_DATE_EPOCH 的值「{value}」不是时间：应为 1970-01-01 00:00 UTC 起的整秒数（如 1606780800）",
        "改为 0 到 {latest} 之间的整数秒，如 SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)；或删去这个变量"
        "（工作簿的创建时间即为固定的 1980-01-01 00:00）",
        "the environment variable SOURCE_DATE_EPOCH is “{value}”, not a time: it must be whole seconds since"
        " 1970-01-01 00:00 UTC (e.g. 1606780800)",
        "set it to whole seconds from 0 to {latest}, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct); or unset"
        " it (the workbook's creation time is then the fixed 1980-01-01 00:00)",
    ),
    "E950": (
        "无法写入输出文件：{reason}",
        "请确认输出文件夹可写、磁盘有空间，且文件没有在 Excel 或 WPS 中打开（打开着的文件不能覆盖）；或用 {option} 换一个文件夹",
        "cannot write the output file: {reason}",
        "check that the output folder is writable and the disk has room, and that the file is not open in Excel or WPS (an open file cannot be replaced); or choose another folder with {option}",
    ),
    "E951": (
        "不写出这个文件：它就是这次要读的文件「{input}」，写出会覆盖它",
        "用 {option} 换一个文件夹或文件名，把结果与读入的文件分开放；读入的文件没有改动",
        "not writing this file: it is “{input}”, a file this command reads, which it would replace",
        "choose another folder or file name with {option} to keep results apart from the files read; "
        "the file read is unchanged",
    ),
    # -- errors and suggestions (issue 10): E150–E169, E240–E249, W150–W159 ------------------
    "E130": (
        "「{keyword}」写了两次，与第 {first_line} 行的不同：不知道该用哪一个",
        "同一文件中这项设置只能写一次：删去不要的一处（要覆盖评分办法中的设置，在项目中写一次即可）",
        "“{keyword}” is given twice, differently from line {first_line}: it is unclear which counts",
        "a file gives this setting once: delete the one that is not meant (to override a policy's setting, "
        "give it once in the project)",
    ),
    "E131": (
        "文件中有 {count} 个空字符（NUL，字节 0x00），第一个在这里；文字表格中不应有空字符",
        "多半是从别的程序复制粘贴带来的，或保存、复制时中断而文件已损坏（文件末尾全是空字符时）：在文本编辑器中"
        "删去它们后保存，或在 Excel/WPS 中打开原表、检查这一格后重新另存为 CSV",
        "the file holds {count} NUL characters (byte 0x00), the first here; a text table has none",
        "they most likely came with text pasted from another program, or a save or copy was cut short and "
        "damaged the file (when NULs fill its end): delete them in a text editor and save, or open the "
        "original table in Excel/WPS, check this cell and save it as CSV again",
    ),
    "E132": (
        "文件混用了两种编码：前面的行是 {first}（如第 {first_line} 行），从第 {line} 行起是 {then}",
        "多半是把另一个文件（{then} 编码）的行粘贴到了这个文件：用 Excel/WPS 打开原来的两个文件，把行复制到"
        "同一个表格后另存为 CSV（UTF-8）；或用文本编辑器按 {then} 打开另一部分，复制过来后整体保存为 UTF-8",
        "the file mixes two encodings: the lines before read as {first} (e.g. line {first_line}), from line "
        "{line} on as {then}",
        "most likely rows were pasted from another file (in {then}): open both original files in Excel/WPS, "
        "copy the rows into one table and save it as CSV (UTF-8); or open the other part as {then} in a "
        "text editor, copy it over and save the whole file as UTF-8",
    ),
    "E150": (
        "目标值后面多了一个逗号「{comma}」",
        "选项之间用空格分开，不写逗号，例如：目标 ≥95% 分值 10",
        "a comma “{comma}” after the target value",
        "separate the options with spaces, not commas, e.g. target ≥95% weight 10",
    ),
    "E151": (
        "指标「{name}」写在了指标块之外",
        "指标要写在「一级指标 / 二级指标 {{ … }}」块中：检查第{line}行的「}}」是不是多写了或写早了，或为它加上块头",
        "the indicator “{name}” is outside any indicator block",
        "indicators go inside a “level1 / level2 {{ … }}” block: check whether the “}}” on line {line} is extra or too early, or give it a block header",
    ),
    "E153": (
        "这个「}}」结束了整个项目，第{next_line}行起的内容落到了项目之外",
        "这个「}}」多写了或写早了：删去它，或把它移到它所结束的块的末尾",
        "this “}}” ends the whole project, so the text from line {next_line} on is outside it",
        "this “}}” is extra or too early: delete it, or move it to the end of the block it closes",
    ),
    "E154": (
        "比较符「{op}」和数值「{value}」之间不能有空格",
        "写成 {op}{value}",
        "no space between the comparison “{op}” and the value “{value}”",
        "write {op}{value}",
    ),
    "E152": (
        "「{word}」不是关键字，这个块读不下去",
        "只有一个词的块头会被当作一级指标的块；关键字拼错时整块都读不懂，请改正这个词",
        "“{word}” is not a keyword, so this block cannot be read",
        "a one-word block header is read as a level-1 indicator block; with the keyword misspelt the whole block is unreadable: correct the word",
    ),
    # -- security: untrusted input, limits, safe writes (E230–E239, E901–E949, W130–W139) ---------
    "E230": (
        "「采用」的评分办法名称「{name}」不能用：它{reason}",
        '写相对于规则所在文件夹（或 --root 指定的文件夹）的名称，用 / 分隔，不含 .jx，例如 采用 "standard/central"',
        "the policy name “{name}” after “use” cannot be used: it {reason}",
        'write a name relative to the ruleset\'s folder (or a --root folder) without .jx, e.g. use "standard/central"',
    ),
    "E231": (
        "评分办法「{name}」是指向允许的文件夹之外的链接，不能采用",
        "把评分办法文件复制到规则所在的文件夹（或 --root 指定的文件夹）中，不要用链接",
        "the policy “{name}” is a link to a file outside the allowed folders and cannot be used",
        "copy the policy file into the ruleset's folder (or a --root folder) instead of linking to it",
    ),
    "E232": (
        "未读取「{name}」：它是指向所给文件夹之外的链接，没有评分",
        "评分、复核和导入只读所给文件夹之内的文件，不跟随通向文件夹之外的链接；确需处理它指向的文件（或文件夹）就直接给出那个路径",
        "“{name}” was not read: it is a link to outside the folder given, and was not scored",
        "score, audit and import read only the files inside the folder given, never following a link out of "
        "it; name the file (or folder) it leads to directly if you mean it",
    ),
    "E901": (
        "jixiao 内部错误（程序缺陷，不是输入的问题）：{detail}",
        "请把这条消息和所用的文件报告给维护者；命令行加 --debug 可看到详细的调用栈",
        "internal error in jixiao (a bug, not a problem with the input): {detail}",
        "please report this message with the files used; run the command with --debug for the traceback",
    ),
    "E902": (
        "文件太大：超过 {limit} 个字符",
        "评分规则文件不会这么大；请确认选对了文件，或把规则拆成项目和评分办法",
        "the file is too large: more than {limit} characters",
        "a ruleset is never this large; check that this is the right file, or split it into policies",
    ),
    "E903": (
        "这一行太长：超过 {limit} 个字符",
        "每条规则写一行；请在语句之间换行",
        "the line is too long: more than {limit} characters",
        "write one statement per line",
    ),
    "E914": (
        "格式化后这一行会超过 {limit} 个字符：文件保持原样",
        "公式不能接着写到下一行；把长公式拆成几个命名公式（公式 名称 = …）再格式化",
        "formatted, this line would pass {limit} characters: the file is left as written",
        "a formula cannot continue on the next line; split the long formula into named formulas (formula NAME = …)",
    ),
    "E904": (
        "公式嵌套太深：超过 {limit} 层运算",
        "把公式拆成几步：先用一个指标的「实际 = …」算出中间值，再在另一个公式中引用它",
        "the formula is nested too deeply: more than {limit} levels of operations",
        "split the formula into steps: compute a part in one indicator (actual = …) and refer to it in another",
    ),
    "E905": (
        "数字「{number}」的位数超过 {limit} 位",
        "自评表中的数不会有这么多位；请检查是否多打或粘贴了数字",
        "the number “{number}” has more than {limit} digits",
        "no figure in a table has this many digits; check for pasted or repeated digits",
    ),
    "E906": (
        "由其他指标计算的指标连成的链太长：超过 {limit} 个（{name} → …）",
        "让公式直接引用原始指标，而不是一个接一个地转引",
        "the chain of indicators computed from one another is too long: more than {limit} ({name} → …)",
        "let formulas refer to the source indicators directly instead of through one another",
    ),
    "E907": (
        "采用的评分办法太多：超过 {limit} 个（含评分办法中的「采用」）",
        "一个项目通常只采用一个评分办法，评分办法之间也不必层层采用：删去重复或多余的「采用」，或把一串评分办法合并成一个",
        "too many policies are used: more than {limit} (counting the policies' own “use”)",
        "a project usually uses one policy, and policies need not use each other in long chains: remove "
        "repeated or needless “use” lines, or merge a chain of policies into one",
    ),
    "E908": (
        "计算 {what} 时数值变得过大（{detail}）",
        "公式中的数在计算中反复相乘；请检查公式（例如是否把得分逐级平方）",
        "a number grew too large while computing {what} ({detail})",
        "the formula multiplies numbers again and again; check it (e.g. a value squared along a chain)",
    ),
    "E909": (
        "测试文件中不能使用 YAML 锚点或别名（{found}）",
        "把要重复的内容直接写出来；锚点和别名会让一个小文件展开成极大的数据",
        "YAML anchors and aliases are not allowed in test files ({found})",
        "write the repeated content out; anchors and aliases can expand a small file into huge data",
    ),
    "E910": (
        "无法写入文件：{reason}；原文件保持不变",
        "检查磁盘空间、文件是否只读、文件大小限制；原文件没有改动",
        "cannot write the file: {reason}; the original is unchanged",
        "check the free disk space, whether the file is read-only, and file size limits; nothing was changed",
    ),
    "E911": (
        "参数顺序颠倒了：「{ruleset}」像实际值文件，「{actuals}」像规则文件",
        "先写规则文件，再写实际值文件：jixiao score {actuals} {ruleset}",
        "the arguments are the wrong way round: “{ruleset}” looks like actual values, “{actuals}” like a ruleset",
        "give the ruleset first, then the actual values: jixiao score {actuals} {ruleset}",
    ),
    "E912": (
        "把命名公式展开后，{what}太大：超过 {limit} 项",
        "一个公式两次使用另一个公式（公式 乙 = 甲 + 甲）时，每多一层就大一倍；请减少层数，或先用一个指标的「实际 = …」算出中间值，再用 实际(指标) 引用它",
        "with named formulas written out, {what} is too large: more than {limit} terms",
        "a formula using another twice (formula B = A + A) doubles with each level; use fewer levels, or compute a part in one indicator (actual = …) and refer to it with actual(indicator)",
    ),
    "E913": (
        "一个评分子进程在给出结果之前结束了：被系统终止、内存不足，或无法启动{script}",
        "这不是输入的问题：减少 --jobs 再试，或用 --jobs 1 在一个进程里评分",
        "a scoring worker process ended before giving its results: killed, out of memory, or unable to start{script}",
        "not a problem with the input: try again with fewer --jobs, or --jobs 1 to score in one process",
    ),
    "W115": (
        "「{keyword}」与第 {first_line} 行重复",
        "删去其中一处",
        "“{keyword}” repeats line {first_line}",
        "delete one of them",
    ),
    "W130": (
        "跳过「{name}」：它是指向文件夹之外的链接",
        "check、fmt、diff 和 test 只读所给文件夹之内的文件，不跟随通向文件夹之外的链接；如确需处理，请直接给出那个文件或文件夹",
        "skipped “{name}”: it is a link to outside the folder",
        "check, fmt, diff and test read only the files inside the folder given, never following a link out of "
        "it; name that file or folder directly if you mean it",
    ),
    "W131": (
        "跳过「{name}」：它不是实际值表格（前面的行中没有已知的列名，也不是制表符分隔的数据），像是说明文字，没有评分",
        "批量评分文件夹时这样的文字文件不评分；如果它是实际值表格，请改正表头（含「三级指标」「实际完成值」两列），"
        "或在命令行上直接给出这个文件以查看错误",
        "skipped “{name}”: it is no table of actual values (no known column name in its first lines, and no "
        "tab-separated data), a text such as a readme; it was not scored",
        "a batch of a folder scores no such text file; if it is a table of actual values, correct its header "
        "(the columns 三级指标 and 实际完成值), or name the file on the command line to see its errors",
    ),
    # -- readers: files in every format staff use (E121–E129, E516–E549, F110–F119) ---------------
    "table-cell": ("第{row}行「{name}」列", "", "row {row}, column “{name}”", ""),
    "table-row": ("第{row}行", "", "row {row}", ""),
    "hidden-row": ("（第{row}行是隐藏行）", "", " (row {row} is hidden)", ""),
    "sheet-at": ("工作表「{sheet}」", "", "sheet “{sheet}”, ", ""),
    "E121": (
        "文件超过 {limit}，不予读取",
        "请拆分文件（例如每个项目一个文件），或删去无关的工作表和图片",
        "the file is larger than {limit} and is not read",
        "split it (e.g. one file per project), or remove unrelated sheets and pictures",
    ),
    "E122": (
        "这不是普通文件，而是{kind}，不予读取",
        "请给出保存在磁盘上的文件",
        "this is not a regular file but {kind}: it is not read",
        "give a file saved on disk",
    ),
    "E123": (
        "无法读取 {format}格式的表格",
        "用 Excel/WPS 打开后“另存为” Excel 工作簿（*.xlsx）或 CSV（逗号分隔）",
        "a spreadsheet in the {format} format cannot be read",
        "open it in Excel/WPS and save it as an Excel workbook (*.xlsx) or CSV (comma separated)",
    ),
    "E124": (
        "工作簿无法读取：{reason}",
        "用 Excel/WPS 打开并重新保存为 .xlsx；有密码的工作簿请先取消密码",
        "the workbook cannot be read: {reason}",
        "open it in Excel/WPS and save it again as .xlsx; remove the password of a protected workbook",
    ),
    "E125": (
        "工作簿解压后超过 {limit}，不予读取",
        "一个项目的自评表通常不到 1 MiB；请删去无关的工作表、图片和格式后重新保存",
        "the workbook unpacks to more than {limit} and is not read",
        "one project's table is usually under 1 MiB; remove unrelated sheets, pictures and formatting and save again",
    ),
    "E126": (
        "无法按编码「{encoding}」读取：{problem}",
        "去掉 --encoding 让程序自动识别，或写出文件真正的编码（常见的有 utf-8、gb18030、utf-16）",
        "cannot read the file as “{encoding}”: {problem}",
        "leave out --encoding to detect it, or give the file's real encoding (utf-8, gb18030, utf-16 are usual)",
    ),
    "E133": (
        "工作簿太大：{found}，上限为 {limit}，不予读取",
        "请删去无用的工作表、行和列后重新保存，或把工作簿拆成几个文件（例如每个项目一个文件）分别评分",
        "the workbook is too large: {found}, the limit is {limit}; it is not read",
        "delete unused sheets, rows and columns and save it again, or split it into several files (e.g. one "
        "per project) and score each",
    ),
    "E134": (
        "工作簿太大，读取时内存不足，未能读完",
        "文件本身没有损坏：请删去无用的工作表、行和列后重新保存，或把工作簿拆成几个文件（例如每个项目一个"
        "文件）分别评分",
        "the workbook is too large: memory ran out while reading it",
        "the file itself is not damaged: delete unused sheets, rows and columns and save it again, or split "
        "it into several files (e.g. one per project) and score each",
    ),
    "E128": (
        "单元格中有无效字符 U+{code}（不成对的 UTF-16 代理项），不予读取",
        "这通常来自转换文字出错的程序，或 JSON 中的「\\u{code_lower}」转义；请改正该单元格后重试",
        "the cell holds the invalid character U+{code} (a lone UTF-16 surrogate) and is not read",
        "this usually comes from a program that converted the text wrongly, or a “\\u{code_lower}” escape in "
        "JSON; correct the cell and try again",
    ),
    "E136": (
        "规则文字中有无效字符 U+{code}（不成对的 UTF-16 代理项）",
        "这通常来自转换文字出错的程序，或 JSON 中的「\\u{code_lower}」转义；请改正这里的文字后重试",
        "the ruleset text holds the invalid character U+{code} (a lone UTF-16 surrogate)",
        "this usually comes from a program that converted the text wrongly, or a “\\u{code_lower}” escape in "
        "JSON; correct the text here and try again",
    ),
    "E129": (
        "{where}没有实际值文件",
        "实际值文件的扩展名须是 {kinds} 之一（子文件夹里的也读；以 . 或 ~$ 开头的文件、*.test.yaml 不读）："
        "请指向放实际值文件的文件夹，或直接给出文件名",
        "no actual-value file in {where}",
        "actual-value files end in one of {kinds} (subfolders are read too; files starting with . or ~$ "
        "and *.test.yaml are not): name the folder that holds them, or the files themselves",
    ),
    "E127": (
        "无法识别的文件格式「{format}」",
        "可用的格式：{expected}；也可用 --input-format 指定",
        "unknown file format “{format}”",
        "known formats: {expected}; --input-format names one",
    ),
    # -- the columnar backend (issue 14): E174–E176 ----------------------------------------------------
    "E174": (
        "要求用列式后端评分，但没有安装 numpy",
        '安装可选组件：pip install "jixiao[fast]"；或去掉 --backend columnar（默认的评分器结果完全相同）',
        "the columnar backend was asked for, but numpy is not installed",
        'install the optional extra: pip install "jixiao[fast]"; or leave out --backend columnar (the '
        "default evaluators give identical results)",
    ),
    "E516": (
        "预算数据「{row} {figure}」填了两次：{first}和{second}",
        "只保留一个（「调整后预算数」就是「全年预算数」）",
        "the budget figure “{row} {figure}” is given twice: {first} and {second}",
        "keep one of them (调整后预算数 is the same figure as 全年预算数)",
    ),
    "E517": (
        "「{first}」和「{second}」两列都是{meaning}",
        "删去其中一列，或把它改成另一个列名",
        "the columns “{first}” and “{second}” both hold {meaning}",
        "delete one of them, or rename it",
    ),
    "E529": (
        "第{row}行没有三级指标，却填了{filled}",
        "在「三级指标」列写上这一行的指标名称；模板中不用的行删去其中的内容（只留一级、二级指标的行不读）",
        "row {row} has no 三级指标 but fills {filled}",
        "write the indicator's name in the 三级指标 column; clear the rows of the template that are not used "
        "(a row holding only 一级/二级指标 is not read)",
    ),
    "E530": (
        "这不是实际值表格：第一行既不是表头，下面也找不到含「三级指标」「实际完成值」的表头",
        "实际值表格的表头应含「三级指标」和「实际完成值」两列，例如：{expected}；说明、备忘等文字文件请移出要评分的文件夹",
        "this is not a table of actual values: its first row is no header, and no header naming 三级指标 and "
        "实际完成值 is found below it",
        "a table of actual values has a header with the columns 三级指标 and 实际完成值, e.g. {expected}; move "
        "readme and memo text files out of the folder being scored",
    ),
    "E532": (
        "规则对应表中项目「{project}」的规则「{ruleset}」{problem}",
        "{fix}",
        "the ruleset map gives the project “{project}” the ruleset “{ruleset}”, which {problem}",
        "{fix}",
    ),
    "E535": (
        "预算数据「{name}」缺失：表头上方的预算块（项目资金）中没有读到它",
        "在预算块中填写年度资金总额一行（也可写作「合计」「总计」，放在资金来源行之上或之下都可以）的 年初预算数、"
        "全年预算数、全年执行数；资金来源行（本年财政拨款等）不代替这一行",
        "the budget figure “{name}” is missing: the budget block above the table (项目资金) does not give it",
        "fill in the 年度资金总额 row of the budget block (also written 「合计」 or 「总计」, above or below the "
        "fund-source rows): its 年初预算数, 全年预算数, 全年执行数; the fund-source rows (本年财政拨款 …) do "
        "not stand for it",
    ),
    "E536": (
        "规则对应表中项目「{project}」已在第 {line} 行出现（「{first}」→「{a}」），这里又给了规则「{b}」",
        "一个项目只写一行：删去多余的一行，或改正项目名称（名称中的空格、全角半角、括号和末尾的“项目”不区分）",
        "the ruleset map names the project “{project}” again (row {line}: “{first}” → “{a}”), here with the "
        "ruleset “{b}”",
        "write each project once: delete the extra row, or correct the project's name (spaces, full/half width, "
        "brackets and a trailing 项目 make no difference)",
    ),
    "E538": (
        "第{row}行「{label}」结束了指标表，但它下面第{next}行起还有指标行：这些行没有读",
        "表末的合计行移到全部指标之后；指标块中的小计行把「{label}」写在二级或三级指标一栏（一级指标空着，即同上），"
        "或写作「小计」；说明、签字等放在指标表之后",
        "row {row} (“{label}”) ends the indicator table, but indicator rows follow from row {next}: they are "
        "not read",
        "move the table's totals row below every indicator; write a subtotal's “{label}” in the 二级 or 三级 "
        "column (its 一级 blank: as above), or call it 小计; put notes and signatures after the table",
    ),
    "E539": (
        '无法按单元格显示的样子读出它的数：数字格式「{format}」在数字中间插入文字（如 `0!.0000"万元"` 把 12900 '
        "显示为 1.2900万元），同时带条件、中文数字（[DBNum1]）或千位分隔符，显示的内容无法确切得出",
        "把这一格设为文本，照显示的样子填写（例如 1.29万元）；或把数字格式改为「常规」，填写带单位的值",
        "the number of this cell cannot be read as the cell shows it: its number format “{format}” puts text "
        'among the digits (as `0!.0000"万元"` shows 12900 as 1.2900万元) together with a condition, Chinese '
        "numerals ([DBNum1]) or thousands separators, and what it shows cannot be worked out exactly",
        "make the cell text and type the value as it is shown (e.g. 1.29万元); or set its number format to "
        "General and type the value with its unit",
    ),
    "E549": (
        "这个文件不是工作簿，没有工作表，选不了工作表「{sheet}」",
        "只有 Excel 工作簿（.xlsx）有工作表；CSV、文字表格、YAML 和 JSON 不要指定工作表（命令行去掉 --sheet，"
        "接口去掉 sheet）",
        "this file is not a workbook and has no sheets, so the sheet “{sheet}” cannot be chosen",
        "only Excel workbooks (.xlsx) have sheets; do not name a sheet for CSV, text tables, YAML or JSON (leave "
        "out --sheet on the command line, sheet in the API)",
    ),
    "E540": (
        "工作簿中可见的工作表（{visible}）都没有指标表；有指标表的工作表{hidden}是隐藏的，隐藏的工作表不读",
        "要评分隐藏的工作表，用 --sheet 指定它（例如 --sheet {sheet}）；或在 Excel/WPS 中右键工作表标签，"
        "选「取消隐藏」后保存",
        "no visible sheet of the workbook ({visible}) holds an indicator table; the sheet {hidden} that does is "
        "hidden, and hidden sheets are not read",
        "to score a hidden sheet, name it with --sheet (e.g. --sheet {sheet}); or unhide it in Excel/WPS "
        "(right-click a sheet tab, Unhide) and save",
    ),
    "E542": (
        "这一行是预算数「{name}」，一级指标却空着：不知道它是预算行还是名叫「{name}」的指标",
        "预算行的一级指标列写「预算执行」（二级指标列写资金来源，空着即年度资金总额）；简单表格中空白的一级指标不是同上",
        "this row gives the budget figure “{name}” but its 一级 is blank: a budget row, or an indicator named “{name}”?",
        "write 预算执行 in the 一级 column of a budget row (the fund source in the 二级 column; blank is 年度资金总额); "
        "in a simple table a blank 一级 is not “as above”",
    ),
    "E541": (
        "第{row}行写了二级指标「{level2}」，一级指标却空着，上面也没有一级指标：不知道它属于哪个一级指标",
        "在这一行（或表中第一个指标行）填上一级指标；下面各行的一级指标空着即同上",
        "row {row} gives the 二级 “{level2}” but its 一级 is blank, with no 一级 above it: it belongs to no 一级",
        "fill in the 一级 on this row (or on the table's first indicator row); a blank 一级 below is as above",
    ),
    "E537": (
        "「{name}」与第{first_row}行的「{first}」是同一个指标「{indicator}」（改名前后的两个名称）：同一份实际值中这个指标"
        "有两行",
        "删去其中一行：实际值按哪一年的表填写，就只写那一年的名称（diff 按改名把它对应到另一边的指标）",
        "“{name}” and “{first}” on row {first_row} are one indicator, “{indicator}” (its names before and after "
        "the rename): the actual values give it two rows",
        "delete one of the rows: write the name of the year the values were filled in for (diff pairs it with "
        "the other side's indicator through the rename)",
    ),
    "E531": (
        "{first}是「{a}」，{second}是「{b}」：{number} 是 {one} 还是 {two}？",
        "单位只写在一处，或让两处一致：{fix}",
        "{first} is “{a}” and {second} is “{b}”: does {number} mean {one} or {two}?",
        "write the unit in one place, or make the two agree: {fix}",
    ),
    "E533": (
        "键「{key}」写了两次（{where}；第一次在第 {first} 行）",
        "同一个映射中每个键只能写一次，否则不知道该用哪一个值：删去其中一个，或把两处合并",
        "the key “{key}” is given twice ({where}; first on line {first})",
        "a key may appear only once per mapping, or it is unclear which value counts: delete one of them, "
        "or merge the two",
    ),
    "E528": (
        "实际值文件是空的",
        "文件可能没有保存完整或没有下载完整：请在 Excel/WPS 中打开原表，确认有内容，重新保存或导出后再试",
        "the actual-value file is empty",
        "it may not have been saved or downloaded completely: open the original table in Excel/WPS, check "
        "that it has content, and save or export it again",
    ),
    "E518": (
        "预算数据「{name}」是空的",
        "在这一格填上金额，例如 970.00（金额确实为零时填 0）",
        "the budget figure “{name}” is blank",
        "fill in the amount in this cell, e.g. 970.00 (0 when it really is zero)",
    ),
    "E519": (
        "这一行用全角逗号「，」分隔单元格",
        "CSV 用半角逗号「,」分隔：把这一行分隔用的「，」改为「,」（文字里的逗号请加英文双引号），或在 Excel/WPS 中另存为 CSV（逗号分隔）",
        "this row separates its cells with full-width commas “，”",
        "CSV cells are separated by the ASCII comma “,”: replace the separating “，” on this row (quote text that contains commas), or save from Excel/WPS as CSV (comma separated)",
    ),
    "E520": (
        "无法从{what}读取实际值",
        "给出文件路径、bytes 或文件对象，或用关键字 text=（文本）、rows=（字典行）之一",
        "cannot read actual values from {what}",
        "pass a path, bytes or a file object, or exactly one of the keywords text= (text) and rows= (dict rows)",
    ),
    "E521": (
        "文件中有 {count} 个项目（{names}），这里只能读一个",
        "用 --sheet 指定一个工作表，或把整个文件交给批量评分（见 docs/files.md「多个项目」）",
        "the file holds {count} projects ({names}) where one is expected",
        "name one sheet with --sheet, or score the whole file as a batch (see docs/files.md, “Many projects”)",
    ),
    "E522": (
        "工作簿中没有工作表「{sheet}」",
        "工作表有：{expected}",
        "the workbook has no sheet “{sheet}”",
        "its sheets: {expected}",
    ),
    "E523": (
        "工作簿的工作表（{sheets}）中都找不到指标表",
        "指标表的表头应含「三级指标」和「实际完成值」两列，例如：{expected}",
        "no sheet of the workbook ({sheets}) holds an indicator table",
        "the header of an indicator table has the columns 三级指标 and 实际完成值, e.g. {expected}",
    ),
    "E524": (
        "实际值文件的结构不对：{problem}",
        "写法：{expected}",
        "the actual-value file is not shaped as expected: {problem}",
        "shape: {expected}",
    ),
    "E525": (
        "{format} 语法错误：{problem}",
        "检查这一处的缩进、引号、逗号和括号",
        "{format} syntax error: {problem}",
        "check the indentation, quotes, commas and brackets here",
    ),
    "E526": (
        "实际值文件中不能使用 YAML 的{what}",
        "把引用之处照原样写出来",
        "YAML {what} are not allowed in an actual-value file",
        "write the referenced content out in full",
    ),
    "E527": (
        "项目「{project}」的行指定了不同的规则：「{first}」和「{second}」",
        "同一项目的所有行用同一个规则文件",
        "the rows of project “{project}” name different rulesets: “{first}” and “{second}”",
        "all rows of one project name the same ruleset",
    ),
    "F110": (
        "预算行「{label}」不是已知的资金来源，作为其他来源列出，不参与评分",
        "",
        "the budget row “{label}” is not a known fund source: listed as an extra source, not scored",
        "",
    ),
    "F111": (
        "列「{column}」未读取（不参与评分）",
        "",
        "the column “{column}” is not read (it takes no part in scoring)",
        "",
    ),
    "F112": (
        "实际值文件的项目名称是「{file}」，评分规则是项目「{ruleset}」的：请用该项目的规则文件评分，"
        "或改正文件中的项目名称",
        "",
        "the actual-value file names the project “{file}”, but the ruleset is for “{ruleset}”: score it "
        "with that project's ruleset, or correct the project name in the file",
        "",
    ),
    "F113": (
        "实际值文件的{what}是「{file}」，评分规则写的是「{ruleset}」（表头按规则显示）：请核对后改正其中一个",
        "",
        "the actual-value file gives the {what} “{file}”, the ruleset “{ruleset}” (the heading shows the "
        "ruleset's): check which is right and correct the other",
        "",
    ),
    # -- semantics (issues 9 and 15): units, readings, table shapes --------------------------
    "E216": (
        "公式之间循环引用：{cycle}",
        "公式不能直接或间接使用自己",
        "named formulas use each other in a cycle: {cycle}",
        "a formula cannot use itself, directly or indirectly",
    ),
    "E217": (
        "公式名「{name}」已是变量名",
        "换一个名字；实际、目标、分值、得分、偏差、执行率、年初预算数、全年预算数、全年执行数 是变量",
        "the formula name “{name}” is already a variable",
        "choose another name; 实际, 目标, 分值, 得分, 偏差 and the budget figures are variables",
    ),
    "E218": (
        "「{name}」是项目规则，不是评分办法{itself}",
        "「采用」只引用评分办法（以「评分办法」开头的文件），项目的指标和设置不会这样带入。要几个项目共用规则，"
        '把舍入、等级等写进一个评分办法文件（评分办法 "名称" {{ … }}），各项目都采用它；或把需要的规则抄到本项目中',
        "“{name}” is a project ruleset, not a policy{itself}",
        "“use” names only a policy (a file starting with 评分办法 or policy): a project's indicators and "
        "settings are not taken over this way. To share rules among projects, write them (rounding, grades, "
        '…) in a policy file (policy "NAME" {{ … }}) that each project uses, or copy the rules you need into '
        "this project",
    ),
    "E219": (
        "评分办法「{policy}」中写了 {count} 个指标（第一个是 {name} 第{line}行的「{indicator}」），采用它不会带入指标",
        "评分办法只写共用的规则（舍入、等级、量表等），指标写在项目中：把这些指标从「{name}」移到采用它的项目中",
        "the policy “{policy}” lists {count} {count:indicator|indicators} (the first is “{indicator}”, "
        "{name} line {line}): using the policy does not take {count:it|them} over",
        "a policy holds shared rules (rounding, grades, scales…) and a project its indicators: move them "
        "from “{name}” into the projects that use it",
    ),
    "E307": (
        "金额单位「{unit}」不是货币单位",
        "金额单位按表头写，可用：{choices}",
        "the money unit “{unit}” is not a unit of money",
        "write the unit of the table's header, one of: {choices}",
    ),
    "E409": (
        "指标「{name}」的方向「{direction}」与目标「{target}」的符号矛盾",
        "「方向」只决定不带符号的目标怎么读；删除「方向」，或删除目标前的符号",
        "the direction “{direction}” of “{name}” contradicts the sign of its target “{target}”",
        "a direction only says how an unsigned target reads: delete the direction or the target's sign",
    ),
    "E410": (
        "「其中」行「{name}」（「{parent}」的分项）不计分，不能有分值",
        "删除分值；其中行只显示目标和实际值，可用「分项合计」检查各项之和",
        "the breakdown row “{name}” (of “{parent}”) is not scored and takes no weight",
        "delete the weight; a breakdown row shows a target and an actual; “sum_check” checks their sum",
    ),
    "E411": (
        "「其中」行「{name}」前面没有它所属的指标",
        "其中行写在它所属的指标之后，同一个二级指标块中",
        "the breakdown row “{name}” has no indicator above it",
        "write a breakdown row after the indicator it breaks down, in the same block",
    ),
    "E412": (
        "小计行「{name}」的分值 {weight} 与它所合计的各项分值之和 {sum} 不一致",
        "小计行只显示、不计入总分；它的分值应等于所在块（二级为空时为整个一级）各指标分值之和，或不写分值",
        "the subtotal row “{name}” has weight {weight}, but the rows it adds up weigh {sum}",
        "a subtotal is shown, never counted: its weight is the sum of its block's (or its 一级's) weights, or omit it",
    ),
    "E413": (
        "二级指标「{level}」的分值 {weight} 与其下各指标分值之和 {sum} 不一致",
        "其下不写分值的指标平分剩余的分值；都写了分值时，它们之和应等于二级指标的分值",
        "the level “{level}” has weight {weight}, but its indicators weigh {sum}",
        "indicators without a weight share what is left; when all give one, they add up to the level's weight",
    ),
    "E414": (
        "绩效目标「{goal}」的分值 {weight} 与其下各指标分值之和 {sum} 不一致",
        "绩效目标块的分值应等于其中各指标分值之和；调整指标分值，或修改绩效目标的分值",
        "the goal “{goal}” has weight {weight}, but its indicators weigh {sum}",
        "a goal's weight is the sum of its indicators' weights: adjust one of them",
    ),
    "E605": (
        "实际值「{text}」没有写单位，目标「{target}」是百分比：是 {percent} 还是 {literal}？",
        "写明百分号：按比例填的 {text} 写成 {percent}；确实只有 {literal} 时写 {literal}",
        "the actual value “{text}” has no unit and the target “{target}” is a percentage: {percent} or {literal}?",
        "write the percent sign: {percent} if {text} is a proportion, {literal} if it really is {literal}",
    ),
    "E606": (
        "预算数据「{name}」为 0，无法计算执行率",
        "核对预算数据；确实没有预算的项目，在规则的预算执行块中写「零预算 不评分」（分值按不适用处理）"
        "或「零预算 满分」",
        "the budget figure “{name}” is 0: the execution rate cannot be computed",
        "check the budget figures; for a project that really has no budget, write “zero_budget none”"
        " (its weight is left out) or “zero_budget full” in the ruleset's budget block",
    ),
    "E607": (
        "指标「{name}」的得分系数「{text}」{problem}",
        "得分系数列填本行得分占分值的百分比，例如 95% 或 95（列名即是百分比）；得分 = 分值 × 得分系数",
        "the score coefficient “{text}” of “{name}” {problem}",
        "the 得分系数 column gives the share of the weight, e.g. 95% or 95 (the column is in %); score = weight × coefficient",
    ),
    "E608": (
        "指标「{name}」按认定评分，但实际值文件没有给出认定得分",
        "在「调整得分」列填写认定的得分（0 到分值 {weight}），在「调整理由」列写明理由；实际完成值可以空着",
        "“{name}” is scored by assertion, but the actual-value file asserts no score",
        "give the asserted score (0 to the weight {weight}) in 调整得分 and the reason in 调整理由; the actual may be blank",
    ),
    "E609": (
        "实际值「{text}」没有写单位，目标「{target}」以「{scaled_unit}」计：是 {plain} 还是 {scaled}？",
        "写明单位：写成 {plain} 或 {scaled}，或在本行的计量单位格、列标题（如「实际完成值（{scaled_unit}）」）中写明"
        '（Excel 中数字格式带单位的单元格，如 0"{scaled_unit}"，也算写了单位）',
        "the actual value “{text}” has no unit and the target “{target}” is in {scaled_unit}: {plain} or {scaled}?",
        "write the unit: {plain} or {scaled}, or in the row's 计量单位 cell or the column header "
        '(实际完成值（{scaled_unit}）) (in Excel a number format showing the unit, such as 0"{scaled_unit}", counts)',
    ),
    "E610": (
        "实际值 {text} 是 {year}年1月 还是 {year}年10月？单元格是数，Excel 不保留末尾的 0，{year}.10 也存成 {year}.1",
        "请写成 {year}年10月（或 {year}年1月），或把单元格设为文本后再写 {year}.10",
        "is the actual value {text} January {year} or October {year}? The cell is a number and Excel keeps no"
        " trailing 0: {year}.10 is stored as {year}.1 too",
        "write {year}年10月 (or {year}年1月), or format the cell as text and type {year}.10",
    ),
    "E611": (
        "指标「{name}」：「{text}」没有写年份，项目也没有写年度，不知是哪一年，无法与 {year} 年的日期比较",
        "写上年份，如 {year}年9月底前、{year}.9前；或在项目名后写 年度 {year}（没有年份的日期即为该年度的）",
        "indicator “{name}”: “{text}” has no year and the project gives no 年度 (year): which year it is"
        " cannot be known, so it cannot be compared with a date in {year}",
        "write the year, e.g. {year}年9月底前 or {year}.9前; or give the project 年度 {year} (a date without"
        " a year is then in that year)",
    ),
    "W110": (
        "繁体字已按简体读取：「{text}」读作「{simple}」",
        "不需要修改；关键字、名称、单位和预算行在繁简之间一样对应",
        "traditional characters are read as simplified: “{text}” as “{simple}”",
        "nothing to change: keywords, names, units and budget rows match across the two scripts",
    ),
    "W111": (
        "评分办法的「结构」给预算执行 {weight} 分，本项目预算执行{how}，结构不再检查",
        "指标分值合计仍按总分检查；要检查各一级指标的分值，在项目中写自己的「结构」（不含预算执行）",
        "the policy's framework gives the budget {weight} points, but this project's budget is {how}: the framework is not checked",
        "the indicator weights are still checked against the total; to check each level, declare the project's own framework without the budget",
    ),
    "W112": (
        "这条不分阶段的舍入也用于「{stage}」，取代评分办法的舍入（{where}）",
        "规则：更具体的文件优先（项目优先于评分办法），同一文件中写了阶段的优先；"
        "若「{stage}」仍要按评分办法舍入，在项目中照写那一条带阶段的舍入",
        "this stage-less rounding also applies to “{stage}”, replacing the policy's rounding ({where})",
        "the more specific file wins (the project over its policy), and within a file a stage's own line wins; "
        "to keep the policy's rounding for “{stage}”, repeat that line in the project",
    ),
    "W113": (
        "分值 {weight} 不能用 {digits} 位小数表示：各项满分舍入后的合计可能超过「{level}」的分值，超出时小计按分值计（F135）",
        "给各指标写出能用 {digits} 位小数表示、合计等于分值的分值（如 16.67、16.67、16.66），或有意如此时不改",
        "the weight {weight} cannot be shown with {digits} {digits:decimal|decimals}: full scores, rounded, may add up to more than the weight of “{level}”; the subtotal is then capped (F135)",
        "give the indicators weights with {digits} {digits:decimal|decimals} that add up (e.g. 16.67, 16.67, 16.66), or leave it if intended",
    ),
    "F125": (
        "实际值文件中有 {count} 个单元格用繁体字书写，已按简体读取（如第{row}行「{text}」读作「{simple}」）",
        "",
        "{count} {count:cell|cells} of the actual-value file {count:is|are} in traditional characters, read as simplified (e.g. row {row} “{text}” as “{simple}”)",
        "",
    ),
    "F126": (
        "{name}为 0，执行率无法计算：{how}",
        "",
        "{name} is 0, so there is no execution rate: {how}",
        "",
    ),
    "F127": (
        "执行率 {rate} 超过 100%，预算执行得分不超过分值",
        "",
        "the execution rate {rate} is above 100%; the budget score stays within its weight",
        "",
    ),
    "F128": (
        "实际值「{text}」带有比较符号，像是照抄的目标值；按 {value} 计，请核对实际完成情况",
        "",
        "the actual value “{text}” carries a comparison sign, as if the target were copied; read as {value}: check it",
        "",
    ),
    "F129": (
        "按认定评分：得分 {score}，理由：{reason}",
        "",
        "scored by assertion: {score}, reason: {reason}",
        "",
    ),
    "F130": (
        "得分未知（{text}）：分值 {weight} 既不按不适用折算，也不按 0 分计",
        "",
        "the score is unknown ({text}): its weight {weight} is neither rescaled as not applicable nor scored 0",
        "",
    ),
    "F131": (
        "总分不完整：{count} 个指标得分未知（分值合计 {weight}），总得分是已知得分之和，最高可能 {high}",
        "",
        "the total is incomplete: {count} {count:score is|scores are} unknown (weights {weight}); the total adds the known scores, at most {high}",
        "",
    ),
    "F132": (
        "其中各项合计 {sum}，与「{parent}」的实际值 {actual} 不一致",
        "",
        "the breakdown rows add up to {sum}, but the actual value of “{parent}” is {actual}",
        "",
    ),
    "F133": (
        "其中「{name}」以「{unit}」计，「{parent}」以「{parent_unit}」计，不同的量未计入合计",
        "",
        "the breakdown “{name}” counts {unit}, “{parent}” counts {parent_unit}: left out of the sum",
        "",
    ),
    "F134": (
        "表中小计「{written}」与各项得分之和 {sum} 不一致",
        "",
        "the printed subtotal “{written}” is not the sum of its rows, {sum}",
        "",
    ),
    "F135": (
        "各项得分合计 {sum} 超过一级指标的分值 {weight}（分值有除不尽的小数，各项得分舍入后多出），小计按 {weight} 计",
        "",
        "the scores add up to {sum}, above the level's weight {weight} (fractional weights, each score rounded up): the subtotal is capped to {weight}",
        "",
    ),
    "F137": (
        "预算执行得分 {score} 超过分值 {weight}（得分舍入后多出），按 {weight} 计",
        "",
        "the budget score {score} is above its weight {weight} (rounded up): capped to {weight}",
        "",
    ),
    "F138": (
        "表的年度 {table} 与规则的年度 {rules} 不同",
        "核对是否选对了规则（如上一年的规则）或表；时限目标按规则的年度读",
        "the table's year {table} differs from the ruleset's year {rules}",
        "check that the ruleset (e.g. last year's) or the table is the right one; deadlines are read in the ruleset's year",
    ),
    "F136": (
        "总得分 {sum} 超过总分 {weight}（舍入后多出），按 {weight} 计",
        "",
        "the total {sum} is above {weight} (rounded up): capped to {weight}",
        "",
    ),
    # -- gaps: diff and test arguments (E250–E259) --------------------------------------------------------
    "E250": (
        "「{path}」是实际值文件，不是规则文件：diff 比较的是两份规则",
        "先写旧、新两份规则，实际值用 --actuals 给出：jixiao diff 旧.jx 新.jx --actuals {path}",
        "“{path}” holds actual values, not a ruleset: diff compares two rulesets",
        "give the old and the new ruleset first and the actual values with --actuals: jixiao diff OLD.jx NEW.jx --actuals {path}",
    ),
    "E251": (
        "「{path}」是规则文件，不是实际值文件：--actuals 给出在新旧规则下评分的实际值",
        "要比较的规则写在前面，--actuals 后写实际值文件或文件夹：jixiao diff 旧.jx 新.jx --actuals 实际值.csv",
        "“{path}” is a ruleset, not actual values: --actuals gives the values scored under both rulesets",
        "give the rulesets to compare first and an actual-value file or folder after --actuals: jixiao diff OLD.jx NEW.jx --actuals VALUES.csv",
    ),
    "E252": (
        "--projects 需要项目所在的文件夹，「{path}」是文件",
        "比较评分办法对项目的影响：jixiao diff 旧办法.jx 新办法.jx --projects 项目文件夹",
        "--projects needs the folder of the projects, but “{path}” is a file",
        "to compare a policy through its projects: jixiao diff OLD_POLICY.jx NEW_POLICY.jx --projects FOLDER",
    ),
    "E253": (
        "测试文件中的路径「{name}」不能是绝对路径，也不能含「..」",
        "测试文件只能使用它所在文件夹（及其子文件夹）中的规则和实际值文件：写相对于测试文件的路径，如 2020.actuals.csv",
        "the path “{name}” in a test file cannot be absolute or contain “..”",
        "a test file may only use rulesets and actual values in its own folder (or below): write a path relative to the test file, e.g. 2020.actuals.csv",
    ),
    "E254": (
        "「{name}」是指向测试文件所在文件夹之外的链接，不能使用",
        "把文件复制到测试文件所在的文件夹中，不用链接",
        "“{name}” is a link to a file outside the test file's folder and cannot be used",
        "copy the file into the test file's folder instead of linking to it",
    ),
    "E255": (
        "「{path}」是实际值文件，不是规则文件：jixiao {command} 读的是规则文件（.jx）",
        "规则文件写在这里；要看这份实际值能否评分，用 jixiao score 规则.jx {path}",
        "“{path}” holds actual values, not a ruleset: jixiao {command} reads ruleset files (.jx)",
        "name the ruleset here; to see whether these actual values score, run jixiao score RULES.jx {path}",
    ),
    # -- audit and import (issue 13): E720–E749, W170–W189, F150–F179 ------------------------
    "E720": (
        "文件「{path}」已存在，没有覆盖",
        "换一个输出文件夹（--output），或加 --force 覆盖已有的文件",
        "the file “{path}” exists and was not overwritten",
        "choose another output folder (--output), or add --force to overwrite",
    ),
    "E721": (
        "「{name}」是项目规则，不是评分办法",
        "--policy 给出评分办法，如 standard/central 或 rulesets/standard/hubei.jx（以「评分办法」开头的文件）",
        "“{name}” is a project ruleset, not a policy",
        "--policy names a policy, e.g. standard/central or rulesets/standard/hubei.jx (a file starting with “评分办法”)",
    ),
    "E722": (
        "表中没有可以复核或导入的指标行",
        "表中要有指标表：表头写明 三级指标、指标值、实际完成值、分值、得分 等列，下面每行一个指标",
        "the table has no indicator rows to audit or import",
        "the table needs an indicator table: a header naming 三级指标, 指标值, 实际完成值, 分值, 得分…, a row per indicator below",
    ),
    "E723": (
        "复核容差「{text}」应为不小于 0 的分数",
        "写一个数，如 复核容差 0.01（得分相差不超过 0.01 分不算问题）；不写单位以外的符号，不写负数",
        "the audit tolerance “{text}” must be a number of points, 0 or more",
        "write a number, e.g. audit_tolerance 0.01 (score differences up to 0.01 are not reported); no sign, no negative",
    ),
    "E724": (
        "表太大：按它生成的规则到这一行已超过 {limit} 个字符（表中有 {rows} 个指标行）",
        "把表拆成几张较小的表（如每个项目、每个一级指标一张）分别导入或复核；读不懂的格在生成的规则中各有注释，"
        "先改正它们也能使规则小得多",
        "the table is too large: the ruleset made from it passes {limit} characters at this row (the table has "
        "{rows} indicator rows)",
        "split the table into smaller ones (a project or a level 1 each) and import or audit each; every cell that "
        "cannot be read is a comment in the generated ruleset, so correcting them first makes it much smaller",
    ),
    "W170": (
        "「{name}」的指标值「{text}」无法读取（{reason}）：这一行按原表得分认定（方法 认定，得分写入实际值文件的调整得分），"
        "用这份规则复核时只查得分是否在 0 到分值之间",
        "在生成的规则中写上可以读取的指标值，再删去「方法 认定」和实际值文件中的调整得分，复核才能按目标检查得分",
        "the target “{text}” of “{name}” cannot be read ({reason}): the row takes its printed score (method asserted, "
        "the score in the adjusted-score column); an audit with this ruleset only checks it lies between 0 and the weight",
        "write a readable target in the generated ruleset, then remove “method asserted” and the adjusted score, so "
        "that an audit checks the score against the target",
    ),
    "W171": (
        "「{name}」没有可用的分值（「{weight}」：{reason}）：这一行没有导入",
        "在生成的规则中补上这一行和它的分值",
        "“{name}” has no usable weight (“{weight}”: {reason}): the row was not imported",
        "add the row with its weight to the generated ruleset",
    ),
    "W172": (
        "「{name}」既没有指标值也没有实际完成值：按原表得分认定（方法 认定）",
        "补上指标值和实际完成值",
        "“{name}” has neither a target nor an actual value: scored by its printed score (method asserted)",
        "add the target and the actual value",
    ),
    "W173": (
        "指标值「{word}」（「{name}」）不在评分办法的量表中：放入本项目的量表「本表定性目标」，实际值与它相同得满分",
        "如这个词有更合适的量表（如「基本{word}」得 80%），在评分办法或生成的规则中写明",
        "the target “{word}” (“{name}”) is in none of the policy's scales: put in the project's own scale, an actual equal to it scores full",
        "declare a fuller scale for the word in the policy or the generated ruleset if it has one",
    ),
    "W174": (
        "「{name}」的实际完成值「{text}」不能按目标评分（{reason}）：这一行按原表得分认定（方法 认定，得分写入实际值文件的"
        "调整得分），用这份规则复核时只查得分是否在 0 到分值之间",
        "核对实际完成值；能按目标评分时（如在量表中补上这个词），删去「方法 认定」和实际值文件中的调整得分，复核才能按目标检查得分",
        "the actual value “{text}” of “{name}” cannot be scored against the target ({reason}): the row takes its "
        "printed score (method asserted, the score in the adjusted-score column); an audit with this ruleset only "
        "checks it lies between 0 and the weight",
        "check the actual value; once it can be scored (e.g. its word added to a scale), remove “method asserted” "
        "and the adjusted score, so that an audit checks the score against the target",
    ),
    "W175": (
        "「{name}」原表{what} {printed}，按规则计算为 {score}",
        "用 jixiao audit 复核原表；生成的规则按规则计分，不照抄原表得分",
        "“{name}”: the table prints {printed}, the rules give {score}",
        "review the table with jixiao audit; the generated ruleset scores by the rules, not by the printed scores",
    ),
    "W176": (
        "「{name}」原表的 {printed} 是 {exact} {way} 所得，评分办法为 {rule}：照原表声明了这一舍入",
        "如原表的舍入不是本项目的规定，删去这一舍入（jixiao import --policy-rounding 不声明）",
        "“{name}”: the printed {printed} is {exact} rounded “{way}”, the policy says “{rule}”: the table's rounding is declared",
        "delete the rounding if the table's was not the project's rule (jixiao import --policy-rounding declares none)",
    ),
    "W177": (
        "生成的规则不能通过 jixiao check：{reason}（原表的分值如此）",
        "核对原表的分值，改正生成的规则中的分值",
        "the generated ruleset does not pass jixiao check: {reason} (as the table's weights are)",
        "check the table's weights and correct them in the generated ruleset",
    ),
    "W178": (
        "表中没有预算执行的数（年度资金总额的预算数、执行数），评分办法的预算执行计 {weight} 分",
        "在实际值文件中补上预算数和执行数；或在生成的规则中写 预算执行 不评分，并改正分值使合计等于总分",
        "the table has no budget figures, but the policy's budget execution counts {weight} points",
        "add the budget figures to the actual-value file; or write budget not_scored in the generated ruleset and correct the weights to add up to the total",
    ),
    "W179": (
        "生成的规则或实际值仍有错误（{codes}）：{first}",
        "按 jixiao check 与 jixiao score 的提示修改生成的文件",
        "the generated ruleset or actual values still have errors ({codes}): {first}",
        "fix the generated files as jixiao check and jixiao score say",
    ),
    "W180": (
        "「{name}」在同一二级指标下出现两次：后一个改名为「{new}」",
        "核对原表；同一二级指标下的指标名称不能重复",
        "“{name}” appears twice under one level 2: the second is renamed “{new}”",
        "check the table; names under one level 2 must differ",
    ),
    "W181": (
        "其中行「{name}」的{what}「{text}」不能用（{reason}）：其中行不计分，没有写入{file}",
        "改正原表的这一格后重新导入，或在生成的{file}中补上",
        "the {what} “{text}” of the breakdown row “{name}” cannot be used ({reason}): a breakdown is never scored, "
        "it is left out of the {file}",
        "correct the table's cell and import again, or add it to the {file}",
    ),
    "W182": (
        "「{name}」的指标值「{text}」的单位与名称所计之物不符：照原表写了 单位说明",
        "核对指标值的单位；确是原表的写法就保留 单位说明",
        "the unit of the target “{text}” does not fit what “{name}” counts: unit_note written as the table has it",
        "check the unit; keep the unit_note if the table means it",
    ),
    "W185": (
        "「{name}」的实际完成值「{text}」是没有固定得分的档次，由评价人在档内给分：保留目标，原表得分 {score} 作为"
        "调整得分写入实际值文件（理由「原表得分」）",
        "核对原表得分是否恰当；评分时这一调整标为 F104，用这份规则复核以后的表时仍按目标和档次的得分范围检查得分",
        "the actual value “{text}” of “{name}” is a band without a fixed score, scored by the evaluator within "
        "it: the target is kept and the printed score {score} is the adjusted score in the actual-value file "
        "(reason 原表得分)",
        "check that the printed score is right; scoring marks the adjustment F104, and an audit with this ruleset "
        "still checks later scores against the target and the band's range",
    ),
    "W186": (
        "「{name}」的实际完成值「{word}」不在量表中：按原表得分 {score}（分值 {weight}）把「{word}」按 {percent} 放入本项目的量表「{scale}」",
        "核对这个比例是否是本项目的规定（表中有这个词的各行得分比例相同才这样推定）；不是时在生成的规则中改正量表",
        "the actual value “{word}” of “{name}” is in no scale: from the printed score {score} (weight {weight}) “{word}” "
        "is put in the project's own scale “{scale}” at {percent}",
        "check that this share is the project's rule (it is inferred only when every row with “{word}” gives the "
        "same share); otherwise correct the scale in the generated ruleset",
    ),
    "W183": (
        "「{name}」的原表得分「{text}」没有读作得分：{reason}",
        "原表得分按分写（不写百分比）；生成的规则不按这一格认定得分，用 jixiao audit 复核原表",
        "the printed score “{text}” of “{name}” is not read as a score: {reason}",
        "a printed score is in points (not a percentage); the generated ruleset takes nothing from this cell; "
        "audit the table with jixiao audit",
    ),
    "W184": (
        "表中「{column}」列看来是得分，没有读取：{why}",
        "按分值计的得分列写作「得分」；满分 100 的单项得分写作「单项得分」，并另有「折算得分」列；不是得分的列改用别的列名",
        "the column “{column}” looks like scores and is not read: {why}",
        "name the column of scores in points 得分; an item score out of 100 is 单项得分, beside a 折算得分 "
        "column; give a column that holds no scores another name",
    ),
    "W187": (
        "「{name}」等 {count} 行的得分是一个合并单元格（第{first}–{last}行）：{text} 是这几行共同的得分，"
        "不作为任何一行的得分",
        "取消合并，在每一行的得分格中写出这一行的得分；用 jixiao audit 复核这几行得分之和",
        "“{name}” and the rows with it ({count} rows) share one merged score cell (rows {first}–{last}): {text} "
        "is their score together, not taken as any row's own",
        "unmerge the cell and print each row's own score in its row; jixiao audit checks the rows' sum",
    ),
    "W189": (
        "表中有「单项得分」（满分 100）和「折算得分」两列：生成的规则声明 表列 单项得分，先算单项得分并舍入，"
        "再由它得出折算得分",
        "核对原表的折算得分确是单项得分 × 分值%；「折算得分」列读作各行的得分",
        "the table prints 单项得分 (out of 100) beside 折算得分: the generated ruleset declares 表列 单项得分 "
        "(the item score is computed and rounded first, the weighted score from it)",
        "check that the table's 折算得分 is the item score × the weight%; the 折算得分 column is read as each "
        "row's score",
    ),
    "W188": (
        "规则对应表中的项目「{project}」没有对应的实际值文件：这一行没有用上",
        "核对项目名称是否与实际值文件中的项目名称（或文件名、工作表名）一致；不评分的项目可删去这一行",
        "no actual-value file is of the project “{project}” in the ruleset map: this row is not used",
        "check the name against the projects' names in the files (or the files' and sheets' names); delete the "
        "row of a project not scored",
    ),
    "F150": (
        "「{where}」表中 {printed}，按规则为 {recomputed}：只差在舍入（{exact} 表中按 {way}，规则为 {rule}）",
        "原表的舍入确是本项目的规定时，在规则中写明（如指标上 舍入 截断 2位），否则按规则改正表中的数",
        "“{where}”: printed {printed}, the rules give {recomputed}: a rounding difference only ({exact} rounded “{way}” in the table, “{rule}” by the rules)",
        "if the table's rounding is the project's rule, declare it (e.g. rounding down 2 digits on the indicator); else correct the table",
    ),
    "F151": (
        "「{where}」目标已完成却扣了分：表中 {printed}，按规则为 {recomputed}，没有说明理由",
        "核对实际完成值与得分；确需扣分时在偏差原因中写明理由",
        "“{where}”: the target is met but marked down: printed {printed}, the rules give {recomputed}, with no reason given",
        "check the actual value and the score; a mark-down needs its reason in the deviation column",
    ),
    "F152": (
        "「{where}」目标已完成却扣了分：表中 {printed}，按规则为 {recomputed}（说明：{note}）",
        "核对理由是否成立；评价人调整得分在实际值文件中写「调整得分」「调整理由」",
        "“{where}”: the target is met but marked down: printed {printed}, the rules give {recomputed} (reason: {note})",
        "check that the reason holds; an evaluator's score goes in the adjusted score and reason columns",
    ),
    "F153": (
        "「{where}」目标未完成却得满分：表中 {printed}，按规则为 {recomputed}",
        "核对实际完成值与指标值；未完成的指标按规则计分",
        "“{where}”: full marks although the target is missed: printed {printed}, the rules give {recomputed}",
        "check the actual value against the target; a missed target is scored by the rules",
    ),
    "F154": (
        "「{where}」得分与规则不符：表中 {printed}，按规则为 {recomputed}（{detail}）",
        "用 jixiao audit --explain 查看按规则的计算过程，改正表中的得分",
        "“{where}”: the score does not follow the rules: printed {printed}, the rules give {recomputed} ({detail})",
        "see how the rules compute it with jixiao audit --explain and correct the printed score",
    ),
    "F155": (
        "「{where}」的分值与规则不同：表中 {printed}，规则为 {recomputed}",
        "核对表中的分值与规则中的分值，改正其中错的一个",
        "“{where}”: the weight differs from the ruleset's: printed {printed}, the ruleset says {recomputed}",
        "check the printed weight against the ruleset and correct the wrong one",
    ),
    "F156": (
        "「{where}」的指标值与规则不同：表中「{printed}」，规则为「{recomputed}」",
        "核对表中的指标值与规则中的目标，改正其中错的一个",
        "“{where}”: the target differs from the ruleset's: printed “{printed}”, the ruleset says “{recomputed}”",
        "check the printed target against the ruleset and correct the wrong one",
    ),
    "F157": (
        "「{where}」的分值印作百分比「{printed}」，即 {recomputed} 分",
        "分值一栏写分数（如 20），不写百分比",
        "“{where}”: the weight is printed as a percentage “{printed}”, i.e. {recomputed} points",
        "print weights as points (e.g. 20), not percentages",
    ),
    "F158": (
        "「{where}」表中没有得分（按规则为 {recomputed}）",
        "补上得分",
        "“{where}”: no score is printed (the rules give {recomputed})",
        "print the score",
    ),
    "F174": (
        "「{where}」：{name}为 0（{figure}），执行率无法计算，规则为「{policy}」：这一项无法重算",
        "核对预算数；确实没有预算的项目，在规则的预算执行块中写「零预算 不评分」或「零预算 满分」",
        "“{where}”: {name} is 0 ({figure}), so there is no execution rate, and the rules say “{policy}”: it cannot be recomputed",
        "check the budget figures; for a project that really has no budget, write “zero_budget none” or “zero_budget full” in the budget block",
    ),
    "F178": (
        "没有表头的列中有 {count} 个单元格未读取（不参与评分），如第{row}行 {cell}「{text}」",
        "",
        "{count} {count:cell|cells} in columns without a header {count:is|are} not read (they take no part in scoring), e.g. row "
        "{row}, {cell} “{text}”",
        "",
    ),
    "F175": (
        "「{where}」：{name}为 0（{figure}），执行率无法计算，按规则「{policy}」{effect}",
        "核对预算数确实为 0",
        "“{where}”: {name} is 0 ({figure}), so there is no execution rate; by the rules’ “{policy}” it is {effect}",
        "check that the budget really is 0",
    ),
    "F176": (
        "「{where}」实际值 {actual} 达到目标的 {ratio}，超过 {threshold}，需复核",
        "核对实际完成值和指标值：实际值是否填错，目标是否定得过低",
        "“{where}”: the actual value {actual} is {ratio} of the target, above {threshold}: review it",
        "check the actual value and the target: a wrong actual, or a target set too low",
    ),
    "F177": (
        "表的年度 {table} 与规则的年度 {rules} 不同",
        "核对是否选对了规则（如上一年的规则）或表；年度不同时时限目标按规则的年度读",
        "the table's year {table} differs from the ruleset's year {rules}",
        "check that the ruleset (e.g. last year's) or the table is the right one; deadlines are read in the ruleset's year",
    ),
    "F179": (
        "「{where}」的实际完成值「{word}」不在评分办法的量表中：表中有这个词的各行得分都是分值的 {percent}，"
        "按此计入本表的量表（与 jixiao import 相同），这一比例本身无从按规则核对",
        "核对这一比例是否是本项目的规定；是时用 jixiao import 生成项目规则（它的量表「{scale}」中已有这个词）再复核，"
        "或在评分办法中写明这个词的量表",
        "“{where}”: the actual value “{word}” is in none of the policy's scales: every row with it in the table "
        "scores {percent} of its weight, which is taken as the table's own scale (as jixiao import does); "
        "the share itself cannot be checked against the rules",
        "check that the share is the project's rule; if so, make a project ruleset with jixiao import (its scale "
        "“{scale}” has the word) and audit against it, or declare the word's scale in the policy",
    ),
    "F180": (
        "「{where}」的实际完成值「{word}」不在评分办法的量表中（目标「{target}」），表中有这个词的各行{shares}"
        "：无从推定它的得分，这一行的得分没有核对",
        "在评分办法或项目规则中写明这个词的量表再复核（如用 jixiao import 生成项目规则，在它的量表「本表定性目标」中"
        "补上这个词和它的得分比例）；各行得分应按同一比例，并按分写（不写百分比）",
        "“{where}”: the actual value “{word}” is in none of the policy's scales (target “{target}”), and the rows "
        "with it in the table {shares}: its score cannot be inferred, and this row's score is not checked",
        "declare the word's scale in the policy or a project ruleset and audit again (e.g. make a project ruleset "
        "with jixiao import and add the word with its share to its scale “本表定性目标”); the rows should score "
        "the same share, in points (not a percentage)",
    ),
    "F185": (
        "「{where}」单项得分 {item} × 分值 {weight}% = {product}，表中折算得分却是 {printed}",
        "折算得分应等于单项得分 × 分值 ÷ 100（可按规则舍入）：核对并改正这两格中错的一格",
        "“{where}”: the item score {item} × the weight {weight}% is {product}, but the weighted score printed "
        "is {printed}",
        "the weighted score (折算得分) is the item score × the weight ÷ 100 (rounded as the rules say): correct "
        "whichever of the two cells is wrong",
    ),
    "F186": (
        "「{where}」单项得分与规则不符：表中 {printed}，按规则为 {recomputed}（{detail}）",
        "用 jixiao audit --explain 查看按规则的计算过程，改正表中的单项得分（满分 100）",
        "“{where}”: the item score does not follow the rules: printed {printed}, the rules give {recomputed} "
        "({detail})",
        "see how the rules compute it with jixiao audit --explain and correct the printed item score (out of 100)",
    ),
    "F187": (
        "表中「{column}」列看来是得分，复核没有读取它：{why}",
        "按分值计的得分列写作「得分」；满分 100 的单项得分写作「单项得分」，并另有「折算得分」列（单项得分 × 分值%）；"
        "不是得分的列改用别的列名",
        "the column “{column}” looks like scores, and audit does not read it: {why}",
        "name the column of scores in points 得分; an item score out of 100 is 单项得分, beside a 折算得分 column "
        "(单项得分 × the weight%); give a column that holds no scores another name",
    ),
    "F188": (
        "「{where}」等 {count} 行的得分是一个合并单元格（第{first}–{last}行）：表中 {printed} 是这几行共同的得分"
        "（按规则各行得分之和为 {recomputed}），总得分中只计一次；各行的得分无从逐行核对",
        "取消合并，在每一行的得分格中写出这一行的得分",
        "“{where}” and the rows with it ({count} rows) share one merged score cell (rows {first}–{last}): "
        "{printed} is their score together (the rules give {recomputed} for them together), counted once in "
        "the total; no row's own score can be checked",
        "unmerge the cell and print each row's own score in its row",
    ),
    "F159": (
        "「{where}」的{what}「{printed}」无法读取：{detail}",
        "按 docs/language.md「字面量」的写法改正这一格",
        "“{where}”: the {what} “{printed}” cannot be read: {detail}",
        "write the cell as docs/language.md “literals” shows",
    ),
    "F160": (
        "「{where}」的实际完成值「{printed}」与指标值「{target}」单位不一致",
        "核对实际完成值的单位（如人数写「人」，金额写「万元」）",
        "“{where}”: the actual value “{printed}” and the target “{target}” are in different units",
        "check the unit of the actual value (people in 人, money in 万元)",
    ),
    "F161": (
        "「{where}」的实际完成值「{printed}」带有比较符号，像是照抄的指标值",
        "实际完成值写实际做到的数，不带 ≥、≤ 等符号",
        "“{where}”: the actual value “{printed}” carries a comparison sign, as if the target were copied",
        "write what was achieved, without ≥ or ≤",
    ),
    "F162": (
        "「{where}」既没有指标值也没有实际完成值",
        "补上指标值和实际完成值，或删去这一行",
        "“{where}”: neither a target nor an actual value",
        "fill in the target and the actual value, or delete the row",
    ),
    "F163": (
        "「{where}」按评分办法需说明偏差原因，表中没有填写",
        "在「偏差原因分析及改进措施」一栏写明原因和改进措施",
        "“{where}”: the policy requires an explanation, and the table gives none",
        "write the cause and the remedy in the deviation column",
    ),
    "F164": (
        "执行率印作 {printed}，执行数 ÷ 预算数 = {detail}（按规则 {recomputed}）",
        "核对全年执行数、全年预算数和执行率",
        "the execution rate is printed {printed}, executed ÷ budget = {detail} ({recomputed} by the rules)",
        "check the executed amount, the budget and the rate",
    ),
    "F165": (
        "预算执行得分印作 {printed}，按公式为 {recomputed}（{detail}）",
        "按评分办法的预算执行得分公式（如 分值 × 执行率）改正",
        "the budget score is printed {printed}, its formula gives {recomputed} ({detail})",
        "correct it by the policy's budget formula (e.g. weight × rate)",
    ),
    "F166": (
        "各项分值（含预算执行）合计 {sum}，{against}为 {expected}",
        "核对各行的分值；分值合计应等于总分",
        "the weights (budget included) add up to {sum}, {against} is {expected}",
        "check the weights of the rows; they must add up to the total",
    ),
    "F167": (
        "分值不合评分办法的结构：{detail}",
        "核对各一级指标的分值，或换用与表相符的评分办法",
        "the weights do not follow the policy's framework: {detail}",
        "check the weights of each level 1, or audit against the policy the table follows",
    ),
    "F168": (
        "总得分印作 {printed}，表中各项得分之和为 {sum}{how}",
        "总得分应等于表中印出的各项得分（含预算执行得分）之和；有不适用时按百分制折算",
        "the total is printed {printed}, the printed scores add up to {sum}{how}",
        "the total is the sum of the printed scores (budget included), rescaled when some are not applicable",
    ),
    "F169": (
        "总得分 {printed} 是各项未舍入得分之和 {exact} 按 {way} 所得，而表中各项得分之和为 {parts}",
        "总得分应由表中印出（已舍入）的各项得分相加；或在规则中只在合计时舍入（舍入 指标 不舍入）",
        "the total {printed} is the sum of the unrounded scores {exact} rounded “{way}”, not the sum of the printed scores {parts}",
        "add up the printed (rounded) scores; or round only the total in the rules (rounding indicator none)",
    ),
    "F170": (
        "等级印作「{printed}」，总得分 {total} 应为「{recomputed}」",
        "按评分办法的等级划分改正等级",
        "the grade is printed “{printed}”, a total of {total} is “{recomputed}”",
        "correct the grade by the policy's grade bands",
    ),
    "F171": (
        "表中的「{where}」不是规则中的指标：{detail}",
        "核对指标名称和一级、二级指标，或用与表相符的规则复核",
        "“{where}” in the table is not an indicator of the ruleset: {detail}",
        "check the name and levels, or audit against the ruleset the table follows",
    ),
    "F172": (
        "规则中的指标「{where}」在表中没有这一行",
        "在表中补上这一行",
        "the ruleset's indicator “{where}” has no row in the table",
        "add its row to the table",
    ),
    "F173": (
        "「{where}」在表中出现两次：{detail}",
        "删去重复的一行",
        "“{where}” appears twice in the table: {detail}",
        "delete the repeated row",
    ),
    # -- E986–E999: finishing jixiao serve (uploads, downloads) ----------------------------
    "E986": (
        "文件中有 {count} 个项目（{names}），这里只能评一个",
        "用 sheet 参数指定一个工作表，或交给 /v1/score:batch 一次评分全部项目（工作台会自动这样做）",
        "the file holds {count} projects ({names}) where one is expected",
        "name one sheet with the sheet parameter, or score them all with /v1/score:batch (the workbench does)",
    ),
    "E987": (
        "这不是表格文件，而是 {kind}",
        "请改用填好实际值的表格文件（命令行上给出，或在工作台中上传）：Excel 工作簿（.xlsx）、CSV（逗号分隔）、Excel 另存的 Unicode 文本（.txt）、YAML 或 JSON；图片、PDF 或扫描件上的表格请先录入 Excel/WPS，再另存为 .xlsx",
        "this is not a table file but {kind}",
        "give (or upload) the table of actual values instead: an Excel workbook (.xlsx), CSV (comma separated), Unicode text saved by Excel (.txt), YAML or JSON; type a table from an image, a PDF or a scan into Excel/WPS first and save it as .xlsx",
    ),
    "E988": (
        "这不是 Excel 工作簿：文件名是 {suffix}，内容却既不是工作簿，也不是文字表格",
        "文件可能已损坏、没有下载完整，或是别的文件改了扩展名：请在 Excel/WPS 中打开原表，另存为 Excel 工作簿（*.xlsx）后再给出（或上传）",
        "this is not an Excel workbook: it is named {suffix} but holds neither a workbook nor a text table",
        "the file may be damaged, cut short, or another file renamed: open the original table in Excel/WPS, save it as an Excel workbook (*.xlsx) and give (or upload) that",
    ),
    "E989": (
        "这不是表格文件：内容是二进制数据，不是文字表格",
        "请改用填好实际值的表格文件（命令行上给出，或在工作台中上传）：Excel 工作簿（.xlsx）、CSV（逗号分隔）、Excel 另存的 Unicode 文本（.txt）、YAML 或 JSON",
        "this is not a table file: it holds binary data, not a text table",
        "give (or upload) the table of actual values instead: an Excel workbook (.xlsx), CSV (comma separated), Unicode text saved by Excel (.txt), YAML or JSON",
    ),
    "E991": (
        "{path} 只接受 {allowed}，不接受 {method}",
        "用 {allowed} 请求 {path}（请求体等见 /v1/openapi.json）",
        "{path} accepts only {allowed}, not {method}",
        "send {allowed} to {path} (its body and answers are in /v1/openapi.json)",
    ),
    "E992": (
        "「{name}」是所服务的文件夹中的一个文件夹，不是文件",
        "{want}；可从 /v1/files 查看全部文件",
        "“{name}” is a folder of the served folder, not a file",
        "{want}; /v1/files lists the files",
    ),
    "E994": (
        "等待评分进程超过时限 {seconds} 秒，请求没有开始评分",
        "服务器正忙：稍后重试；经常出现时，启动 jixiao serve 时用 --workers 增加评分进程（不超过 CPU 核数），"
        "或把批量评分合并为一次 /v1/score:batch 提交",
        "waited longer than {seconds} s for a scoring process; the request was not scored",
        "the server is busy: try again later; if this happens often, start jixiao serve with more --workers (at "
        "most the number of CPU cores), or send a batch through /v1/score:batch in one request",
    ),
    "E996": (
        "文件名「{written}」是绝对路径，这里不接受：文件名要相对于所服务的文件夹",
        "写成相对于所服务文件夹的名称，用 / 分隔（如 shangjie-pension/2020.jx）；可从 /v1/files 查看全部文件",
        "the file name “{written}” is an absolute path, which is not accepted: names are relative to the served "
        "folder",
        "write the name relative to the served folder, separated by / (such as shangjie-pension/2020.jx); "
        "/v1/files lists the files",
    ),
    "E998": (
        "请求传得太慢：{what}在 {seconds} 秒内没有收完，请求被拒绝，连接已关闭",
        "重新发送请求。请求头须在 10 秒内发完；请求体在 10 秒之后平均每秒至少要收到 16 KiB（上传 20 MiB 的文件约需 "
        "21 分钟）。网络很慢时，请在服务器所在的电脑上或更快的网络中使用；经代理转发时，检查它是否在缓冲请求",
        "the request arrived too slowly: its {what} did not arrive within {seconds} s; it was refused and the "
        "connection closed",
        "send the request again. Request headers must arrive within 10 s; after 10 s a body must arrive at 16 KiB/s "
        "on average (about 21 minutes for a 20 MiB upload). On a very slow network use the server's own computer "
        "or a faster network; behind a proxy, check whether it holds requests back",
    ),
    "E993": (
        "请求同时带有 Content-Length 和 Transfer-Encoding 请求头：请求体的长度有两种读法，请求被拒绝，连接已关闭",
        "只发送其中一个（curl、浏览器和常见的 HTTP 库都不会同时发送两者）；经反向代理或网关转发时，检查它是否"
        "在转发前添加了其中一个，或换用符合 RFC 9112 的代理",
        "the request carries both Content-Length and Transfer-Encoding: its body's length can be read two ways; "
        "the request was refused and the connection closed",
        "send only one of them (curl, browsers and the usual HTTP libraries never send both); behind a reverse "
        "proxy or gateway, check whether it adds one of them, or use a proxy that follows RFC 9112",
    ),
}

_WORDS: dict[str, tuple[str, str]] = {
    "rescaled": ("按百分制折算", "rescaled to the total"),
    "redistributed": ("分配给同级指标", "redistributed to its siblings"),
    "rescaled_alone": (
        "按百分制折算（同一一级指标下没有适用的指标可分配）",
        "rescaled to the total (no applicable indicator of its level to take it)",
    ),
}


def current_lang(explicit: str | None = None) -> Lang:
    """The message language: --lang, then JIXIAO_LANG, then an English locale, else Chinese."""
    choice = (explicit or os.environ.get("JIXIAO_LANG") or _locale_lang()).lower()
    return "en" if choice.startswith("en") else "zh"


def _locale_lang() -> str:
    """The POSIX message locale (LC_ALL, then LC_MESSAGES, then LANG); C/POSIX/unset mean Chinese."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return value
    return "zh"


class _Args(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message(code: str, lang: Lang, args: dict[str, object], part: str = "message") -> str:
    entry = CATALOG.get(code)
    if entry is None:
        return code
    index = (0 if lang == "zh" else 2) + (1 if part == "help" else 0)
    values = _Args({k: _localize(v, lang) for k, v in args.items()})
    return entry[index].format_map(values)


class Count(int):
    """A whole-number argument, which an English message may follow by the word it counts in the singular
    or the plural: "{count} {count:cell|cells} {count:is|are}" (1 cell is, 2 cells are)."""

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, many = spec.split("|", 1)
            return one if self == 1 else many
        return int.__format__(self, spec)


def _localize(value: object, lang: Lang) -> object:
    """An argument may be a (Chinese, English) pair, written by jixiao itself, or a word of `_WORDS`;
    other text (what a user wrote) is shortened when it is long; a whole number is a `Count`."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Count(value)
    if isinstance(value, tuple) and len(value) == 2:
        return value[0] if lang == "zh" else value[1]
    if isinstance(value, str):
        return clip(word(value, lang))
    if isinstance(value, Fraction):
        return decimal_shown(value)
    return value


SHOWN_PLACES = 6  # as `language.quantity.shown_number` and explanations show a value that never ends


def decimal_shown(x: Fraction) -> str:
    """An exact value as staff read it, never a fraction: its decimal when it ends, else cut to
    SHOWN_PLACES places with "…" (605/97 → 6.237113…). A message argument given as a `Fraction` is
    shown so (`language.quantity.shown_number` is the same for values the engine formats itself)."""
    sign, x = ("-", -x) if x < 0 else ("", x)
    rest = x.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    ends = rest == 1
    places = next(p for p in count() if (x * 10**p).denominator == 1) if ends else SHOWN_PLACES
    whole, fraction = divmod(x.numerator * 10**places // x.denominator, 10**places)
    text = f"{sign}{whole}" + (f".{fraction:0{places}d}" if places else "")
    return text if ends else text + "…"


MAX_SHOWN = 120  # characters of user text a message repeats (a 5 000-digit number is not echoed whole)


def clip(text: str) -> str:
    """`text`, or its start and end around "…" when it is longer than MAX_SHOWN."""
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[: MAX_SHOWN - 20]}…{text[-12:]}"


def word(key: str, lang: Lang) -> str:
    pair = _WORDS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]
