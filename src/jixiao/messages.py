"""The message catalog: every diagnostic and finding code, in Chinese and English.

Each entry is ``code: (zh message, zh help, en message, en help)``; the
templates use ``{name}`` fields filled from the diagnostic's arguments.
docs/errors.md lists the same codes (a test keeps them in sync).
"""

from __future__ import annotations

import os
from typing import Literal

Lang = Literal["zh", "en"]

_Entry = tuple[str, str, str, str]

CATALOG: dict[str, _Entry] = {
    # -- helpers used inside other messages ---------------------------------
    "did-you-mean": ("是不是要写「{name}」？", "", "did you mean “{name}”?", ""),
    "row-col": ("第{column}列「{name}」", "", "column {column} “{name}”", ""),
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
        "请确认文件存在、可读，且是文本文件",
        "cannot read the file: {reason}",
        "check that the file exists, is readable and is a text file",
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
        '「采用」后写评分办法文件的相对路径（不含 .jx），例如 采用 "standard/central"；已查找：{searched}',
        "cannot find the policy “{name}”",
        'write the policy file\'s relative path without .jx after “use”, e.g. use "standard/central"; searched: {searched}',
    ),
    "E205": (
        "指标「{name}」重复定义（第一次在第{first_line}行）",
        "同一个二级指标下的三级指标名称不能重复；删除或改名其中一个",
        "indicator “{name}” is defined twice (first on line {first_line})",
        "names under one level-2 indicator must differ; delete or rename one",
    ),
    "E206": (
        "定性目标「{word}」不在任何量表中",
        "在评分办法中为它定义量表，或改用已有的词",
        "the qualitative target “{word}” is in no scale",
        "define a scale for it in the policy, or use a word of an existing scale",
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
        '用项目文件评分：项目中写 采用 "…" 引用这个评分办法，并列出指标',
        "“{name}” is a policy, not a project: scoring needs a project ruleset",
        'score a project file that uses this policy (use "…") and lists the indicators',
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
        "定性档次和得分比例应在 0% 到 100% 之间",
        "{what} lies outside 0%–100%: {detail}",
        "qualitative bands and score fractions lie between 0% and 100%",
    ),
    "E406": (
        "量表「{scale}」的档次没有从高到低排列：{detail}",
        "按得分从高到低书写各档",
        "the levels of scale “{scale}” are not in descending order: {detail}",
        "write the levels from highest to lowest score",
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
        "指标「{name}」重复出现（第一次在第{first_row}行）",
        "每个指标只填一行；删除重复的行",
        "indicator “{name}” appears twice (first on row {first_row})",
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
        "改正一级、二级指标列，或留空（只按三级指标名称对应）",
        "indicator “{name}” is under “{where}” in the ruleset, but the file says “{written}”",
        "correct the level columns, or leave them blank to match by name alone",
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
        "",
        "type mismatch while computing “{what}”: {detail}",
        "",
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
        "数字「{value}」和单位「{unit}」之间不能有空格",
        "写成 {value}{unit}",
        "no space between the number “{value}” and the unit “{unit}”",
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
    "E306": (
        "公式的单位与目标不一致：{left}与{right}",
        "实际值公式的结果应与目标值同一单位（人数对人数，金额对金额）",
        "the formula's unit does not match the target: {left} vs {right}",
        "an actual-value formula yields the target's unit (people for people, money for money)",
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
    # -- E80x: golden test files (jixiao test) ---------------------------------------------
    "E801": (
        "测试文件不是有效的 YAML：{problem}",
        "检查缩进（用空格，不用制表符）和冒号后的空格；含冒号或 # 的文字请加引号",
        "the test file is not valid YAML: {problem}",
        "check the indentation (spaces, not tabs) and the space after each colon; quote text with : or #",
    ),
    "E802": (
        "测试文件中「{where}」：{problem}",
        "测试文件的结构：cases 下每个用例有 name、actuals 或 rows、expect（total、grade、budget、scores、findings、errors）",
        "in the test file at “{where}”: {problem}",
        "a test file has cases, each with name, actuals or rows, and expect (total, grade, budget, scores, findings, errors)",
    ),
    "E803": (
        "期望得分中的指标「{name}」：{problem}",
        "写规则中的三级指标名称；重名时写成 二级指标/三级指标",
        "the indicator “{name}” in the expected scores: {problem}",
        "use a 三级指标 name of the ruleset; write 二级指标/三级指标 when a name repeats",
    ),
    "E804": (
        "在 {paths} 下没有找到测试文件",
        "测试文件与规则文件放在一起，命名为 名称.test.yaml（如 2020.test.yaml）",
        "no test files found under {paths}",
        "put a test file beside its ruleset, named NAME.test.yaml (e.g. 2020.test.yaml)",
    ),
    "E805": (
        "测试文件中键「{key}」重复",
        "同一层级的键只能写一次；删除或合并重复的一项",
        "the key “{key}” is repeated in the test file",
        "a key may appear once per mapping; remove or merge the repeated one",
    ),
    "E806": (
        "用例「{name}」没有给出实际值",
        "写 actuals: 实际值文件.csv，或在 rows: 下逐行给出实际值（也可两者都写，rows 覆盖文件中的同名行）",
        "the case “{name}” gives no actual values",
        "write actuals: FILE.csv, or list rows: inline (or both: rows replace the file's rows of the same name)",
    ),
    # -- E70x: comparing rulesets (jixiao diff) ------------------------------------------
    "E701": (
        "新规则中的指标「{name}」在实际值文件 {actuals} 中没有实际完成值，无法比较得分",
        "在实际值文件中为它加一行（按旧规则评分时会忽略这一行），或去掉 --actuals 只比较规则",
        "the indicator “{name}” of the new ruleset has no actual value in {actuals}, so the scores cannot be compared",
        "add a row for it to the actual-value file (scoring under the old ruleset ignores it), or leave out --actuals",
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
    "F125": (
        "实际值文件中有 {count} 个单元格用繁体字书写，已按简体读取（如第{row}行「{text}」读作「{simple}」）",
        "",
        "{count} cells of the actual-value file are in traditional characters, read as simplified (e.g. row {row} “{text}” as “{simple}”)",
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
        "the total is incomplete: {count} scores are unknown (weights {weight}); the total adds the known scores, at most {high}",
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
}

_WORDS: dict[str, tuple[str, str]] = {
    "rescaled": ("按百分制折算", "rescaled to the total"),
    "redistributed": ("分配给同级指标", "redistributed to its siblings"),
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


def _localize(value: object, lang: Lang) -> object:
    """An argument may be a (Chinese, English) pair or a word of `_WORDS`."""
    if isinstance(value, tuple) and len(value) == 2:
        return value[0] if lang == "zh" else value[1]
    if isinstance(value, str):
        return word(value, lang)
    return value


def word(key: str, lang: Lang) -> str:
    pair = _WORDS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]
