"""numpy, loaded when first needed (the optional extra `jixiao[fast]`), and integer rounding on arrays.

Nothing here is a float: every array is int64 (or bool), and the callers check beforehand that no
product can leave int64 (`fits`). `round_ratio` is `language.rounding._round_ratio` element by element.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from jixiao.language.rounding import RoundingMode

INT64_LIMIT = 1 << 62  # every intermediate stays below this in absolute value (int64 holds 2**63 - 1)


def available() -> bool:
    """Whether numpy can be imported (`pip install "jixiao[fast]"`)."""
    try:
        return importlib.util.find_spec("numpy") is not None
    except (ImportError, ValueError):
        return False


def numpy() -> Any:
    """The numpy module; imported on first use so that `import jixiao` never pays for it."""
    return importlib.import_module("numpy")


def fits(*bounds: int) -> bool:
    """Whether the product of these absolute bounds stays inside int64 with room for a sum."""
    product = 1
    for bound in bounds:
        product *= max(abs(bound), 1)
    return product < INT64_LIMIT


def largest(values: Any) -> int:
    """The largest absolute value of an array or a list of ints (0 when empty)."""
    return (
        max((abs(int(v)) for v in values), default=0)
        if isinstance(values, list)
        else (int(abs(values).max()) if len(values) else 0)
    )


def round_ratio(num: Any, den: Any, mode: RoundingMode) -> Any:
    """num/den rounded to integers by `mode`, for int64 arrays with num ≥ 0 and den > 0."""
    np = numpy()
    whole, rest = np.divmod(num, den)
    if mode is RoundingMode.DOWN:
        return whole
    if mode is RoundingMode.UP:
        return whole + (rest > 0)
    twice = 2 * rest
    if mode is RoundingMode.HALF_UP:
        return whole + (twice >= den)
    return whole + ((twice > den) | ((twice == den) & (whole % 2 == 1)))


def round_scaled(num: Any, den: Any, digits: int, mode: RoundingMode) -> Any:
    """`language.rounding.round_scaled` on int64 arrays (den > 0): symmetric about zero."""
    np = numpy()
    magnitude = round_ratio(np.abs(num) * 10**digits, den, mode)
    return np.where(num < 0, -magnitude, magnitude)


def unique_rows(matrix: Any) -> tuple[Any, Any]:
    """The distinct rows of an int64 matrix and each row's position among them (`np.unique(axis=0)`,
    which sorts rows as raw bytes and is slow): the columns are packed into one int64 key, a column
    with a wide range numbered densely first, the key renumbered whenever the next column would not fit."""
    np = numpy()
    rows = matrix.shape[0]
    if rows == 0 or matrix.shape[1] == 0:
        return matrix[:1], np.zeros(rows, dtype=np.int64)
    key, bound = np.zeros(rows, dtype=np.int64), 1
    for column in range(matrix.shape[1]):
        values = matrix[:, column]
        low, high = int(values.min()), int(values.max())
        if high - low < rows:
            values, span = values - low, high - low + 1
        else:
            _, values = np.unique(values, return_inverse=True)
            values = values.reshape(-1)
            span = int(values.max()) + 1
        if not fits(bound, span):
            _, key = np.unique(key, return_inverse=True)
            key, bound = key.reshape(-1), int(key.max()) + 1
        key, bound = key * span + values, bound * span
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return matrix[first], inverse.reshape(-1)
