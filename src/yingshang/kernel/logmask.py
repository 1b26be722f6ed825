"""A logging filter that masks resident ID numbers and mobile numbers before a record is written."""

import logging
import re

_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_RESIDENT_ID_15 = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    text = _RESIDENT_ID.sub(lambda m: f"{m.group(1)}********{m.group(3)[-4:]}", text)
    text = _RESIDENT_ID_15.sub(lambda m: f"{m.group(1)}******{m.group(3)}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


class MaskIdentifiersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
