"""Generated 双公示 rows (valid, deterministic for a seed): for tests, the benchmark and the demo.

Rows are dicts keyed by column key; `write_csv` / `write_xlsx` lay them out under the national
template's Chinese headers, as a department's export would.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from yingshang.credit.ingest.columns import COLUMNS
from yingshang.kernel.rules.identifiers import generate_resident_id, generate_uscc

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
TRADES = ("能源科技", "商贸", "建筑工程", "餐饮管理", "农业发展", "物流", "医药连锁", "化工", "信息技术", "文化传媒",
          "食品", "机械制造", "房地产开发", "环保科技", "矿业")
PLACES = ("榆林市", "榆阳区", "神木市", "府谷县", "靖边县", "定边县", "横山区")
WORDS = "恒泰华信鑫源宏达金辉瑞丰天成永盛长青博远正通利民嘉禾新锐中联"


def company_name(rng: random.Random, i: int) -> str:
    return f"{rng.choice(PLACES)}{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(TRADES)}有限公司"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def subject_fields(rng: random.Random, i: int, *, person: bool) -> dict:
    if person:
        return {"subject_name": person_name(rng), "subject_category": "自然人", "id_type": "身份证",
                "id_number": generate_resident_id(rng, division_code="610802")}
    return {"subject_name": company_name(rng, i), "subject_category": "法人及非法人组织",
            "uscc": generate_uscc(rng, division_code=rng.choice(("610802", "610881", "610822")), authority="9",
                                  category="1"),
            "legal_rep": person_name(rng), "legal_rep_id_type": "身份证"}


def license_row(rng: random.Random, i: int, *, authority: str, authority_uscc: str, decided: date,
                person: bool = False, prefix: str = "许") -> dict:
    return {
        **subject_fields(rng, i, person=person),
        "document_name": "食品经营许可决定书", "document_no": f"榆{prefix}字〔{decided.year}〕{i:07d}号",
        "license_category": "普通", "certificate_name": "食品经营许可证", "license_no": f"JY1610802{i:07d}",
        "content": "预包装食品销售，散装食品销售", "decision_date": decided.isoformat(),
        "valid_from": decided.isoformat(), "valid_to": (decided + timedelta(days=5 * 365)).isoformat(),
        "authority": authority, "authority_uscc": authority_uscc, "record_status": "正常",
        "source_unit": authority, "source_unit_uscc": authority_uscc,
    }


def penalty_row(rng: random.Random, i: int, *, authority: str, authority_uscc: str, decided: date,
                person: bool = False, severity: str = "一般", prefix: str = "罚") -> dict:
    fine = rng.choice(("0.5", "1", "2.5", "5", "10", "20"))
    return {
        **subject_fields(rng, i, person=person),
        "document_no": f"榆{prefix}字〔{decided.year}〕{i:07d}号", "violation_type": "经营超过保质期的食品",
        "violation_facts": "当事人经营超过保质期的预包装食品，货值金额较小。",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
        "penalty_categories": "警告；罚款", "content": f"警告，罚款{fine}万元", "fine_amount": fine,
        "decision_date": decided.isoformat(), "penalty_valid_until": (decided + timedelta(days=30)).isoformat(),
        "authority": authority, "authority_uscc": authority_uscc, "severity": severity, "domain": "食品",
        "record_status": "正常", "source_unit": authority, "source_unit_uscc": authority_uscc,
    }


def headers(kind: str) -> list[str]:
    return [c.header for c in COLUMNS[kind]]


def cells(kind: str, row: dict) -> list[str]:
    return ["" if row.get(c.key) is None else str(row.get(c.key)) for c in COLUMNS[kind]]


def write_csv(path: Path, kind: str, rows, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(headers(kind))
        for row in rows:
            writer.writerow(cells(kind, row))
    return path


def write_xlsx(path: Path, kind: str, rows, *, title: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("数据")
    if title:
        sheet.append([title])
    sheet.append(headers(kind))
    for row in rows:
        sheet.append(cells(kind, row))
    book.save(path)
    return path
