"""The limits that keep every stage bounded in time and memory for any input (docs/security.md).

Rulesets, actual values and test files come from outside (by mail today, over HTTP soon) and are
untrusted. Each limit below is far above what a real self-evaluation table needs; going past one is a
positioned error, never a traceback, a hang or an exhausted machine. docs/security.md lists them all.
"""

from __future__ import annotations

MAX_RULESET_CHARS = 2_000_000  # a ruleset file (16 000 indicators take about 0.7 MB)
MAX_LINE_CHARS = 10_000  # one line of a ruleset
MAX_NESTING = 100  # braces and parentheses inside each other
MAX_EXPR_DEPTH = 100  # operators nested in one formula (a chain 1 + 1 + …, a 或 b … of any length: one level)
MAX_DIGITS = 40  # digits in one number (integer and decimal places together)
MAX_LITERAL_CHARS = 500  # one target or actual value (a cell such as ≥1.1万人 or 12月底前完成)
MAX_POLICIES = 32  # policies applied for one ruleset (每个「采用」, nested ones included)
MAX_DERIVED_DEPTH = 100  # indicators whose actual value or score is computed from one another, in a chain
MAX_NUMBER_BITS = 4_096  # an exact number during evaluation (numerator or denominator, about 1 200 digits)
MAX_SUGGESTION_WORK = 50_000  # names compared for did-you-mean suggestions in one run (each up to ~50 µs)
MAX_TEST_FILE_DEPTH = 20  # lists and mappings inside one another in a *.test.yaml file (cases need 5)
MAX_POLICY_CANDIDATES = 2_000  # .jx files looked at when suggesting a policy name for an unknown 采用
MAX_FORMULA_NODES = 10_000  # one formula with its named formulas written out (f2 = f1 + f1 doubles per level)
MAX_EXPANDED_NODES = 250_000  # nodes named formulas add to a ruleset's formulas, in all (15 in 16 000 rows)
MAX_REPEATS = 20  # diagnostics of one code in one file shown; the rest are counted ("… and N more like it")
