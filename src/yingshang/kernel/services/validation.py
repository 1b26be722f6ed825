"""Checking the fields a service receives: text, a choice, a whole number, an amount, a date.

Each app makes one `Validator` with its error-code prefix (`fields = Validator("trading")`) and calls
it for every field; a failure raises `InvalidInput` with a machine-readable code, a Chinese message
and `details={"field": ...}`. Codes are `<prefix>.<field>_<problem>` (`trading.title_required`,
`trading.title_too_long`, `trading.amount_invalid`, `trading.amount_out_of_range`); an app whose API
already returns other codes or messages keeps them by overriding those templates once, where it
makes its validator. Templates are `str.format` strings over `field`, `label` and the limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from yingshang.kernel.errors import InvalidInput

# problem -> code template (after the prefix and its dot)
CODES: dict[str, str] = {
    "not_text": "{field}_invalid",
    "required": "{field}_required",
    "too_long": "{field}_too_long",
    "not_choice": "{field}_invalid",
    "not_integer": "{field}_invalid",
    "not_amount": "{field}_invalid",
    "not_date": "{field}_invalid",
    "too_small": "{field}_out_of_range",
    "too_large": "{field}_out_of_range",
    "too_early": "{field}_out_of_range",
    "too_late": "{field}_out_of_range",
}
# problem -> Chinese message template
MESSAGES: dict[str, str] = {
    "not_text": "{label}须为文本",
    "required": "请填写{label}",
    "too_long": "{label}不能超过 {max_len} 个字",
    "not_choice": "{label}不是可选的值（可选：{choices}）",
    "not_integer": "{label}须为整数",
    "not_amount": "{label}须为金额，最多 {places} 位小数",
    "not_date": "{label}须为日期，格式如 2026-03-01",
    "too_small": "{label}不能小于 {minimum}",
    "too_large": "{label}不能大于 {maximum}",
    "too_early": "{label}不能早于 {minimum}",
    "too_late": "{label}不能晚于 {maximum}",
}

MAX_ID = 2**62  # ids past this are no row's (PostgreSQL's bigint ends at 2**63)


def as_id(value) -> int | None:
    """A row id or version from a form or query string: a positive whole number, else None (never an error:
    the service then answers not found or conflict)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < MAX_ID else None


class Validator:
    """Field checks of one app. `codes` and `messages` override the templates above by problem."""

    def __init__(self, prefix: str, *, max_len: int = 2000, codes: Mapping[str, str] | None = None,
                 messages: Mapping[str, str] | None = None):
        unknown = set(codes or {}) - set(CODES) | set(messages or {}) - set(MESSAGES)
        if unknown:
            raise ValueError(f"unknown problems: {sorted(unknown)}")
        self.prefix = prefix
        self.max_len = max_len
        self.codes = CODES | dict(codes or {})
        self.messages = MESSAGES | dict(messages or {})

    def error(self, problem: str, field: str, label: str, **params) -> InvalidInput:
        """The InvalidInput for `problem` on `field` (for a check the helpers below do not cover)."""
        code = self.codes[problem].format(field=field, **params)
        return InvalidInput(f"{self.prefix}.{code}" if self.prefix else code,
                            self.messages[problem].format(label=label, field=field, **params), details={"field": field})

    def text(self, value, field: str, label: str, *, required: bool = True, max_len: int | None = None) -> str:
        """Stripped text; None counts as empty. At most `max_len` characters (the validator's default)."""
        max_len = self.max_len if max_len is None else max_len
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise self.error("not_text", field, label)
        value = value.strip()
        if required and not value:
            raise self.error("required", field, label)
        if len(value) > max_len:
            raise self.error("too_long", field, label, max_len=max_len)
        return value

    def choice(self, value, field: str, label: str, choices: Mapping[str, str] | Iterable[str], *,
               required: bool = True) -> str:
        """One of `choices` (a mapping value → Chinese label, or the values); "" when optional and empty."""
        labels = choices if isinstance(choices, Mapping) else {c: c for c in choices}
        if self._missing(value, field, label, required):
            return ""
        value = value.strip() if isinstance(value, str) else value
        if not isinstance(value, str) or value not in labels:
            raise self.error("not_choice", field, label, choices="、".join(str(v) for v in labels.values()))
        return value

    def integer(self, value, field: str, label: str, *, minimum: int | None = None, maximum: int | None = None,
                required: bool = True) -> int | None:
        """A whole number (an int, or a string of digits); None when optional and empty."""
        if self._missing(value, field, label, required):
            return None
        if isinstance(value, str):
            text = value.strip()  # not empty: _missing returned
            digits = text[1:] if text[0] in "+-" else text
            value = int(text) if digits.isascii() and digits.isdigit() and len(digits) <= 18 else value
        if type(value) is not int:  # bool is an int subclass but no number a person typed
            raise self.error("not_integer", field, label)
        return self._within(value, field, label, minimum, maximum)

    def amount(self, value, field: str, label: str, *, places: int = 2, minimum: Decimal | int | None = 0,
               maximum: Decimal | int | None = None, required: bool = True) -> Decimal | None:
        """A decimal amount with at most `places` decimals (never a float: money is exact)."""
        if self._missing(value, field, label, required):
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise self.error("not_amount", field, label, places=places)
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            raise self.error("not_amount", field, label, places=places) from None
        if not number.is_finite() or number.as_tuple().exponent < -places:
            raise self.error("not_amount", field, label, places=places)
        return self._within(number, field, label, minimum, maximum)

    def day(self, value, field: str, label: str, *, earliest: date | None = None, latest: date | None = None,
            required: bool = True) -> date | None:
        """A date (a `date`, or ISO text "2026-03-01"); None when optional and empty."""
        if self._missing(value, field, label, required):
            return None
        if isinstance(value, str):
            value = value.strip()
            try:  # only YYYY-MM-DD: fromisoformat also takes week dates and basic forms nobody types here
                value = date.fromisoformat(value) if len(value) == 10 and value[4] == value[7] == "-" else None
            except ValueError:
                value = None
        if type(value) is not date:  # a datetime is not a day
            raise self.error("not_date", field, label)
        return self._within(value, field, label, earliest, latest, below="too_early", above="too_late")

    def _missing(self, value, field: str, label: str, required: bool) -> bool:
        """Whether the value is empty (None or blank text) and may be; raises when it must be given."""
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return False
        if required:
            raise self.error("required", field, label)
        return True

    def _within(self, value, field: str, label: str, minimum, maximum, *, below="too_small", above="too_large"):
        if minimum is not None and value < minimum:
            raise self.error(below, field, label, minimum=minimum)
        if maximum is not None and value > maximum:
            raise self.error(above, field, label, maximum=maximum)
        return value
