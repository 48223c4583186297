"""`Figure`: an exact score, weight or rate that behaves like a number.

A figure keeps the exact `Fraction` the engine computed and the number of
decimals the declared rounding kept (`digits`, None when it was never
rounded). It *is* a `decimal.Decimal` (so `Decimal(t)`, `f"{t:.1f}"` and
`str(t)` work as they do for decimals), but it compares, hashes and does
arithmetic by its exact value, so it mixes with `int`, `Fraction`, `Decimal`
and other figures without going through a float::

    >>> t = Figure(Fraction(9931, 100), 2)
    >>> t == Decimal("99.31"), t > 99, f"{t}", f"{t:.1f}", t + 1
    (True, True, '99.31', '99.3', Figure('100.31', digits=2))

Only `float(t)` makes a float; arithmetic with a float raises `TypeError`, as
it does for `Decimal`.
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, overload

from jixiao.language.rounding import (
    _fixed_text,
    _power,
    decimal_places,
    exact_decimal,
    format_exact,
    format_fixed,
    format_percent,
)
from jixiao.limits import MAX_NUMBER_BITS

Exact = int | Fraction | Decimal
"""What a figure computes with exactly: integers, fractions, decimals and other figures."""

_APPROXIMATE_DIGITS = 40  # significant digits of the Decimal face of a value that never terminates


class Figure(Decimal):
    """An exact value and how many decimals the rounding that produced it kept."""

    __slots__ = ("_digits", "_shown", "_shown_digits", "_value")
    _value: Fraction
    _digits: int | None
    _shown: Fraction | None
    _shown_digits: int | None

    def __new__(
        cls,
        value: Exact | str,
        digits: int | None = None,
        shown: Fraction | None = None,
        shown_digits: int | None = None,
    ) -> Figure:
        exact = value if type(value) is Fraction else Fraction(value)  # immutable: shared, not copied
        self = super().__new__(cls, _decimal_face(exact, digits))
        self._value = exact
        self._digits = digits
        self._shown = shown  # 舍入 … 显示: the figure the table prints, when it differs from the value
        self._shown_digits = shown_digits
        return self

    @classmethod
    def scaled(cls, units: int, digits: int) -> Figure:
        """`Figure(Fraction(units, 10**digits), digits)`, its face written from the integer directly
        (the fast evaluator's totals: no Fraction is formatted)."""
        self = Decimal.__new__(cls, _fixed_text(units, digits))
        self._value = Fraction(units, 10**digits)
        self._digits = digits
        self._shown = self._shown_digits = None
        return self

    # -- what it is -------------------------------------------------------------------------------------
    @property
    def value(self) -> Fraction:
        """The exact value."""
        return self._value

    @property
    def digits(self) -> int | None:
        """How many decimals the declared rounding kept; None: never rounded, exact."""
        return self._digits

    @property
    def places(self) -> int | None:
        """The decimals of the value the rounding kept (`digits`, except for a `Rate`): what arithmetic
        with it keeps."""
        return self._digits

    @property
    def numerator(self) -> int:
        return self._value.numerator

    @property
    def denominator(self) -> int:
        return self._value.denominator

    def as_integer_ratio(self) -> tuple[int, int]:
        return self._value.as_integer_ratio()

    @property
    def shown(self) -> Fraction | None:
        """The figure a display rounding (舍入 … 显示) prints instead of the value, if one is declared."""
        return self._shown

    @property
    def shown_digits(self) -> int | None:
        return self._shown_digits

    def text(self) -> str:
        """As tables show it: the display rounding when declared (舍入 … 显示), else the rounded digits
        ("9.30"), or an exact value up to 6 places ("0.325")."""
        if self._shown is not None and self._shown_digits is not None:
            return format_fixed(self._shown, self._shown_digits)
        return self.computed_text()

    def computed_text(self) -> str:
        """The value the computation goes on with (differs from `text` under a display rounding)."""
        if self._digits is None:
            return format_exact(self._value, 6)
        return format_fixed(self._value, self._digits)

    def decimal(self) -> Decimal:
        """A plain `Decimal` with the figure's digits (`Decimal("99.31")`)."""
        return Decimal(self)

    # -- conversions ------------------------------------------------------------------------------------
    def __str__(self) -> str:
        return Decimal.__format__(self, "f")

    def __repr__(self) -> str:
        shown = exact_decimal(self._value)
        value = repr(str(self)) if shown is not None else repr(self._value)
        return f"{type(self).__name__}({value}, digits={self._digits})"

    def __format__(self, spec: str, context: Any = None) -> str:
        if not spec:
            return str(self)
        if decimal_places(self._value) is not None:
            return Decimal.__format__(self, spec)
        with localcontext() as ctx:  # a value that never ends: enough digits for any format spec
            ctx.prec = 100
            precise = Decimal(self._value.numerator) / Decimal(self._value.denominator)
        return format(precise, spec)

    def __float__(self) -> float:
        return float(self._value)

    def __int__(self) -> int:
        return int(self._value)

    def __trunc__(self) -> int:
        return math.trunc(self._value)

    def __floor__(self) -> int:
        return math.floor(self._value)

    def __ceil__(self) -> int:
        return math.ceil(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    @overload
    def __round__(self, ndigits: None = None) -> int: ...
    @overload
    def __round__(self, ndigits: int) -> Figure: ...
    def __round__(self, ndigits: int | None = None) -> int | Figure:
        """Python's round(): half to even, like `Decimal` and `Fraction`, computed exactly."""
        if ndigits is None:
            return round(self._value)
        return Figure(round(self._value, ndigits), max(ndigits, 0))

    # Decimal pickles as (class, (text,)); a figure needs its exact value and digits back.
    def __reduce__(  # type: ignore[override]
        self,
    ) -> tuple[type[Figure], tuple[Fraction, int | None, Fraction | None, int | None]]:
        return (type(self), (self._value, self._digits, self._shown, self._shown_digits))

    # -- comparing: by the exact value --------------------------------------------------------------------
    def __hash__(self) -> int:
        return hash(self._value)

    def __eq__(self, other: object) -> bool:
        theirs = _compared(other)
        return NotImplemented if theirs is NotImplemented else bool(self._value == theirs)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __lt__(self, other: Any) -> bool:
        theirs = _compared(other)
        return NotImplemented if theirs is NotImplemented else bool(self._value < theirs)

    def __le__(self, other: Any) -> bool:
        theirs = _compared(other)
        return NotImplemented if theirs is NotImplemented else bool(self._value <= theirs)

    def __gt__(self, other: Any) -> bool:
        theirs = _compared(other)
        return NotImplemented if theirs is NotImplemented else bool(self._value > theirs)

    def __ge__(self, other: Any) -> bool:
        theirs = _compared(other)
        return NotImplemented if theirs is NotImplemented else bool(self._value >= theirs)

    # -- arithmetic: exact, giving figures ------------------------------------------------------------------
    def __add__(self, other: Exact) -> Figure:
        return Figure(self._value + _operand(other), _most(self, other))

    def __radd__(self, other: Exact) -> Figure:
        return self.__add__(other)

    def __sub__(self, other: Exact) -> Figure:
        return Figure(self._value - _operand(other), _most(self, other))

    def __rsub__(self, other: Exact) -> Figure:
        return Figure(_operand(other) - self._value, _most(self, other))

    def __mul__(self, other: Exact) -> Figure:
        mine, theirs = _digits_of(self), _digits_of(other)
        digits = None if mine is None or theirs is None else mine + theirs
        return Figure(self._value * _operand(other), digits)

    def __rmul__(self, other: Exact) -> Figure:
        return self.__mul__(other)

    def __truediv__(self, other: Exact) -> Figure:
        return Figure(self._value / _operand(other))

    def __rtruediv__(self, other: Exact) -> Figure:
        return Figure(_operand(other) / self._value)

    def __floordiv__(self, other: Exact) -> Figure:
        return Figure(self._value // _operand(other), 0)

    def __rfloordiv__(self, other: Exact) -> Figure:
        return Figure(_operand(other) // self._value, 0)

    def __mod__(self, other: Exact) -> Figure:
        return Figure(self._value % _operand(other), _most(self, other))

    def __rmod__(self, other: Exact) -> Figure:
        return Figure(_operand(other) % self._value, _most(self, other))

    def __divmod__(self, other: Exact) -> tuple[Figure, Figure]:
        return self.__floordiv__(other), self.__mod__(other)

    def __rdivmod__(self, other: Exact) -> tuple[Figure, Figure]:
        return self.__rfloordiv__(other), self.__rmod__(other)

    def __pow__(self, exponent: Exact, modulo: None = None) -> Figure:  # type: ignore[override]
        """An integer power, exactly (`Fraction`'s): a root or other non-integer power has no exact
        value, so it is a `TypeError`, as mixing with a float is."""
        power = _integer_exponent(exponent, modulo)
        return _power_of(self._value, _digits_of(self), power)

    def __rpow__(self, base: Exact, modulo: None = None) -> Figure:  # type: ignore[override]
        return _power_of(_operand(base), _digits_of(base), _integer_exponent(self, modulo))

    def __neg__(self, context: Any = None) -> Figure:
        return type(self)(-self._value, self._digits)

    def __pos__(self, context: Any = None) -> Figure:
        return self

    def __abs__(self) -> Figure:
        return type(self)(abs(self._value), self._digits)


class Rate(Figure):
    """A rate (the budget's 执行率): the value a fraction (0.9376), `digits` the decimals of its percentage
    as the declared rounding kept them (2: 93.76%). `text()` is as tables print it ("93.76%"); it compares
    and computes as the fraction, as any figure does (`rate * 100` is the percentage)."""

    __slots__ = ()

    @property
    def places(self) -> int | None:
        return None if self._digits is None else self._digits + 2  # 93.76% is 0.9376

    def computed_text(self) -> str:
        if self._digits is None:
            return format_exact(self._value * 100, 6) + "%"
        return format_percent(self._value, self._digits)


def _decimal_face(value: Fraction, digits: int | None) -> str:
    """The Decimal a figure presents: exact, with at least `digits` places ("9.30"); else 40 digits."""
    if digits is not None and digits >= 0:
        units, rest = divmod(value.numerator * _power(digits), value.denominator)
        if not rest:  # exact at `digits` places (a rounded score, a weight): its digits as they are
            return _fixed_text(units, digits)
    places = decimal_places(value)
    if places is not None:
        return format_fixed(value, max(places, digits or 0))
    with localcontext() as ctx:
        ctx.prec = _APPROXIMATE_DIGITS
        return str(Decimal(value.numerator) / Decimal(value.denominator))


def _compared(other: object) -> Any:
    """What the exact value is compared with: a figure's exact value; a number as it is (`Fraction`
    compares exactly with int, float and Fraction, `Decimal` with Fraction); anything else
    `NotImplemented`, so that Python says a Figure does not compare with it (or `==` is False)."""
    if isinstance(other, Figure):
        return other.value
    return other if isinstance(other, numbers.Number) else NotImplemented


def _operand(other: object) -> Fraction:
    """An exact operand as a Fraction; anything else (a float, a string) is not a number to mix with."""
    if isinstance(other, Figure):
        return other.value
    if isinstance(other, int | Fraction | Decimal):
        return Fraction(other)
    raise TypeError(f"a Figure does not mix with {type(other).__name__}; convert it first (float(figure))")


def _integer_exponent(exponent: object, modulo: object) -> int:
    """The exponent of an exact power: an integer value (an int, or a figure, Fraction or Decimal equal
    to one); anything else has no exact result."""
    if modulo is not None:
        raise TypeError("pow() with a modulus is for integers; a Figure is not one (int(figure) first)")
    value = _operand(exponent)
    if value.denominator != 1:
        raise TypeError(
            f"a Figure's power must be a whole number to stay exact, not {exponent}; "
            "convert it first (float(figure) ** x)"
        )
    return value.numerator


def _power_of(base: Fraction, places: int | None, power: int) -> Figure:
    """`base ** power` exactly, its decimals `places` × `power` (None for a negative power), while its
    numerator, denominator and decimals stay within MAX_NUMBER_BITS (as every number the engine computes
    does); past that an `OverflowError` at once, as `Decimal`'s Overflow is, rather than minutes of
    multiplying (`t ** 10**9`). 0, 1 and −1 stay small at any power; their decimals do not (1.00 ** 10**9)."""
    shown = power if power.bit_length() <= 64 else f"of {power.bit_length()} bits"
    if abs(base.numerator) > 1 or base.denominator != 1:
        bits = max(base.numerator.bit_length(), base.denominator.bit_length())
        if (bits - 1) * abs(power) > MAX_NUMBER_BITS:
            raise OverflowError(
                f"a Figure's power would pass {MAX_NUMBER_BITS} bits (about 1,200 digits): "
                f"{bits}-bit parts to the power {shown}"
            )
    digits = places * power if places is not None and power >= 0 else None
    if digits is not None and digits > MAX_NUMBER_BITS:
        raise OverflowError(
            f"a Figure's power would keep more than {MAX_NUMBER_BITS} decimals: {places} to the power {shown}"
        )
    return Figure(base**power, digits)


def _digits_of(other: object) -> int | None:
    if isinstance(other, Figure):  # the decimals of its value (a rate's are those of its percentage + 2)
        return other.places
    if isinstance(other, int):
        return 0
    if isinstance(other, Decimal):
        exponent = other.as_tuple().exponent
        return max(-exponent, 0) if isinstance(exponent, int) else None
    return None


def _most(figure: Figure, other: object) -> int | None:
    """Digits of a sum: the most of both parts, or None (exact) if either part has no fixed digits."""
    mine, theirs = figure.places, _digits_of(other)
    return None if mine is None or theirs is None else max(mine, theirs)


def json_default(value: object) -> str:
    """`json.dumps(..., default=jixiao.json_default)`: figures, decimals and fractions as exact strings.

    JSON has no exact decimal type, and jixiao's JSON output writes decimals as strings ("99.31"); this
    helper does the same for figures in your own documents: a decimal where the value ends ("99.31"), a
    fraction where it never does ("1/3", as the `*_exact` fields of jixiao's JSON); `Fraction(text)` reads
    either back exactly. Anything else raises `TypeError`, as json's default does.
    """
    if isinstance(value, Fraction):
        value = Figure(value)
    if isinstance(value, Figure) and decimal_places(value.value) is None:
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):  # a figure too: its digits ("9.30")
        return str(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
