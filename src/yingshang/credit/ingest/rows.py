"""Validating one row: every column parsed, then the checks across columns (identity, dates, amounts).

`RowChecker.check(cells)` returns the staged record (a dict of model columns plus the subject's
identity) or the row's problems — all of them, not just the first, each with the column's header
and a Chinese reason. The late flag and the publication period are computed here too, against the
rules in force on the decision date (`credit.rules`) and the kernel's working-day calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from yingshang.credit import identity, rules
from yingshang.credit.choices import RecordStatus, SubjectKind
from yingshang.credit.ingest.columns import COLUMNS, FINE_CATEGORIES, LICENCE_ACTION_CATEGORIES, Column, normalize_header
from yingshang.credit.ingest.values import FieldError, as_text
from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.protect import id_digest
from yingshang.kernel.rules import identifiers as ids
from yingshang.kernel.services.calendar import working_days_between


@dataclass(frozen=True)
class Issue:
    row: int
    column: str  # the header as the national template names it ("" for the whole row)
    field: str
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "field": self.field, "code": self.code, "reason": self.message}


MISSING_COLUMN = "import.missing_column"


class HeaderProblem(InvalidInput):
    """The file (or JSON batch) lacks columns its rows need: one error for the batch, naming the columns,
    instead of the same reason on every row. `details["columns"]` lists them by their template header."""

    def __init__(self, message: str, missing: list[str], **details):
        super().__init__(MISSING_COLUMN, message, details={"columns": missing, **details})
        self.missing = missing


KIND_LABELS = {"license": "行政许可", "penalty": "行政处罚", "other": "其他信用信息"}
_ID_CODE_PREFIXES = ("uscc.", "resident_id.", "organization_code.", "id.", "identity.")


def is_identifier_issue(code: str) -> bool:
    return code.startswith(_ID_CODE_PREFIXES)


@lru_cache(maxsize=4096)
def _uscc_errors(code: str) -> tuple[ids.IdError, ...]:
    # Authority and source-unit codes repeat on every row of a file: validate each once.
    return ids.validate_uscc(code).errors


class RowChecker:
    def __init__(self, kind: str, today: date):
        if kind not in COLUMNS:
            raise ValueError(f"unknown record kind {kind!r}")
        self.kind = kind
        self.today = today
        self.columns = COLUMNS[kind]
        self.bound: list[tuple[Column, int]] = []
        self._plan: list | None = None
        self._plan_for: list | None = None
        self._late_cache: dict[date, tuple[int | None, bool, str]] = {}
        self.absent: frozenset[str] = frozenset()  # keys of optional columns the header (or no JSON row) has
        self.needed: dict[str, tuple[int, str]] = {}  # absent column some row needs → (first such row, reason)
        self.rows_needing = 0  # rows that need an absent column
        self._last_needing = -1

    # --- binding the columns ---------------------------------------------------------------------
    def header_score(self, header: list) -> int:
        """How many of the kind's required columns a candidate header row names."""
        names = {normalize_header(h) for h in header}
        return sum(1 for c in self.columns if c.required and names.intersection(c.names))

    def bind_header(self, header: list) -> None:
        """Map each column to its position; raise HeaderProblem listing required columns not found."""
        positions: dict[str, int] = {}
        for index, cell in enumerate(header):
            name = normalize_header(cell)
            if name and name not in positions:
                positions[name] = index
        self.bound, missing, absent = [], [], set()
        for column in self.columns:
            index = next((positions[n] for n in column.names if n in positions), None)
            if index is not None:
                self.bound.append((column, index))
            elif column.required:
                missing.append(column.header)
            else:
                absent.add(column.key)
        if missing:
            raise HeaderProblem(f"文件不是{KIND_LABELS[self.kind]}信息模板：缺少必填列“{'、'.join(missing)}”", missing)
        self.absent = frozenset(absent)

    def bind_keys(self, present: set[str] | None = None) -> None:
        """For rows given as {key: value} (the JSON API): cells are read by key. `present`: the keys any
        row carries (None: all); a key no row carries is an absent column, as in a file."""
        self.bound = [(c, i) for i, c in enumerate(self.columns)]
        if present is not None:
            self.absent = frozenset(c.key for c in self.columns if c.key not in present)

    def missing_columns(self) -> HeaderProblem | None:
        """After the last row: the absent columns some rows needed, as one error for the batch."""
        if not self.needed:
            return None
        headers = list(self.needed)
        first_row, reason = min(self.needed.values())
        rows = self.rows_needing
        where = f"第{first_row}行" if rows == 1 else f"第{first_row}行等{rows}行"
        return HeaderProblem(f"文件缺少列“{'、'.join(headers)}”，{where}须填写（{reason}）；请按模板补充该列后重新导入",
                             headers, first_row=first_row, rows=rows)

    def cells_from_mapping(self, row: dict) -> list:
        return [row.get(c.key) for c in self.columns]

    # --- checking a row --------------------------------------------------------------------------
    def check(self, row_no: int, cells) -> tuple[dict | None, list[Issue]]:
        data: dict = {}
        issues: list[Issue] = []
        n = len(cells)
        if self._plan is None or self._plan_for is not self.bound:
            # Plain tuples: this loop runs for every cell of every row.
            self._plan = [(i, c.key, c.parse, c.required, c.header) for c, i in self.bound]
            self._plan_for = self.bound
        for index, key, parse, required, header in self._plan:
            raw = cells[index] if index < n else None
            if raw.__class__ is str:
                raw = raw.strip()  # parsers get text already stripped
                if not raw:
                    raw = None
                elif "\x00" in raw:  # PostgreSQL cannot store it: the row, not the batch, is refused
                    issues.append(Issue(row_no, header, key, "nul_character", f"{header}含有空字符（NUL），请删除后重新报送"))
                    continue
            if raw is None:
                if required:
                    issues.append(Issue(row_no, header, key, "required", f"{header}为必填项"))
                continue
            try:
                data[key] = parse(raw)
            except FieldError as exc:
                issues.append(Issue(row_no, header, key, exc.code, exc.message))
        record = self._cross_check(row_no, data, issues)
        return (record, issues) if not issues else (None, issues)

    def _issue(self, issues, row_no, key, code, message):
        header = next((c.header for c in self.columns if c.key == key), "")
        if key in self.absent:
            # The file has no such column: reported once for the batch (`missing_columns`), not on each row.
            self.needed.setdefault(header, (row_no, message))
            if row_no != self._last_needing:
                self.rows_needing, self._last_needing = self.rows_needing + 1, row_no
            code, message = MISSING_COLUMN, f"文件缺少“{header}”列"
        issues.append(Issue(row_no, header, key, code, message))

    def _cross_check(self, row_no: int, data: dict, issues: list[Issue]) -> dict | None:
        who = self._identity(row_no, data, issues)
        for key in ("authority_uscc", "source_unit_uscc"):
            code = data.get(key)
            if code:
                errors = _uscc_errors(code)
                if errors:
                    self._issue(issues, row_no, key, errors[0].code, "；".join(e.message for e in errors))
        if self.kind != "other":
            self._legal_rep(row_no, data, issues)
        decided = data.get("decision_date")
        if decided and decided > self.today:
            self._issue(issues, row_no, "decision_date", "date_future", "决定日期晚于报送日期")
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self._issue(issues, row_no, "valid_to", "date_order", "有效期至早于有效期自")
        if self.kind == "penalty":
            self._penalty(row_no, data, issues)
        if issues or who is None:
            return None
        return self._finish(data, who)

    def _identity(self, row_no, data, issues) -> identity.Identity | None:
        category = data.get("subject_category")
        if category is None:
            return None
        if category == SubjectKind.NATURAL_PERSON:
            return self._person(row_no, data, issues)
        uscc = data.get("uscc") or ""
        org = data.get("organization_code") or ""
        if not uscc:
            self._issue(issues, row_no, "uscc", "uscc.required", "法人、非法人组织和个体工商户须填写统一社会信用代码"
                        "（确无代码的填写17个0加X，并填写组织机构代码）")
            return None
        if uscc == identity.USCC_PLACEHOLDER:
            check = ids.validate_organization_code(org) if org else None
            if check is None or not check.valid:
                self._issue(issues, row_no, "organization_code", "organization_code.required",
                            "无统一社会信用代码时须填写有效的组织机构代码" + (f"：{check.reason}" if check else ""))
                return None
            data["uscc"] = ""
            data["organization_code"] = check.normalized
            return identity.Identity("organization_code", check.normalized, check.normalized)
        normal = uscc if uscc.isascii() and uscc.isalnum() else ids.normalize(uscc)  # parsed: upper case
        if not ids.is_valid_uscc(normal):  # the explanation only for a code that fails
            check = ids.validate_uscc(uscc)
            self._issue(issues, row_no, "uscc", check.errors[0].code, check.reason)
            return None
        if org:
            org_check = ids.validate_organization_code(org)
            if not org_check.valid:
                self._issue(issues, row_no, "organization_code", org_check.errors[0].code, org_check.reason)
            elif org_check.normalized != normal[8:17]:
                self._issue(issues, row_no, "organization_code", "identity.organization_code_mismatch",
                            "组织机构代码与统一社会信用代码第9–17位不一致")
            data["organization_code"] = org_check.normalized or org
        if category in (SubjectKind.LEGAL_PERSON, SubjectKind.INDIVIDUAL_BUSINESS) and not data.get("legal_rep") \
                and self.kind != "other":
            self._issue(issues, row_no, "legal_rep", "required", "法人、非法人组织和个体工商户须填写法定代表人（负责人、经营者）")
        data["uscc"] = normal
        return identity.organisation_identity(normal)

    def _person(self, row_no, data, issues) -> identity.Identity | None:
        number = data.pop("id_number", None)
        id_type = data.get("id_type") or "身份证"
        if not number:
            self._issue(issues, row_no, "id_number", "identity.id_number_required", "自然人须填写证件号码")
            return None
        if "*" in number:
            self._issue(issues, row_no, "id_number", "identity.masked", "证件号码含遮蔽字符“*”，请填写完整号码")
            return None
        data["uscc"] = ""
        if id_type in identity.RESIDENT_ID_TYPES:
            data["id_type"] = "身份证"
            check = ids.validate_resident_id(number, today=self.today)
            if not check.valid:
                self._issue(issues, row_no, "id_number", check.errors[0].code, f"公民身份号码无效：{check.reason}")
                return None
            return identity.person_identity(check.normalized)
        data["id_type"] = id_type
        return identity.other_document_identity(id_type, number)

    def _legal_rep(self, row_no, data, issues) -> None:
        number = data.pop("legal_rep_id_number", None)
        if not number:
            return
        id_type = data.get("legal_rep_id_type") or "身份证"
        if "*" in number:
            self._issue(issues, row_no, "legal_rep_id_number", "identity.masked",
                        "法定代表人证件号码含遮蔽字符“*”，请填写完整号码")
            return
        if id_type in identity.RESIDENT_ID_TYPES:
            check = ids.validate_resident_id(number, today=self.today)
            if not check.valid:
                self._issue(issues, row_no, "legal_rep_id_number", check.errors[0].code,
                            f"法定代表人公民身份号码无效：{check.reason}")
                return
            number, data["legal_rep_id_type"] = check.normalized, "身份证"
        data["legal_rep_id_masked"] = ids.mask_resident_id(number) if len(number) == 18 else ids.mask(number)
        data["legal_rep_id_digest"] = id_digest(number)

    def _penalty(self, row_no, data, issues) -> None:
        categories = set((data.get("penalty_categories") or "").split("；"))
        if categories & FINE_CATEGORIES and not data.get("fine_amount"):
            self._issue(issues, row_no, "fine_amount", "required", "处罚类别含罚款时须填写罚款金额（万元，大于0）")
        if categories & LICENCE_ACTION_CATEGORIES and not data.get("suspended_license"):
            self._issue(issues, row_no, "suspended_license", "required",
                        "处罚类别含暂扣、吊销证照或降低资质等级时须填写证照名称及编号")
        decided = data.get("decision_date")
        if decided and rules.penalty_rule_for(decided).needs_severity and not data.get("severity"):
            self._issue(issues, row_no, "severity", "required",
                        f"{rules.penalty_rule_for(decided).name}施行后作出的处罚须填写失信严重程度（轻微、一般、严重）")

    # --- derived columns -------------------------------------------------------------------------
    def _finish(self, data: dict, who: identity.Identity) -> dict:
        category = data["subject_category"]
        data.setdefault("record_status", RecordStatus.VALID)
        decided = data["decision_date"]
        data["late_days"], data["is_late"], data["late_rule"] = self.lateness(decided)
        valid = data["record_status"] == RecordStatus.VALID
        if self.kind == "penalty":
            pub = rules.penalty_publication(decided, data.get("severity"), data.get("domain"))
            data["published"] = pub.published and valid
            data["publication_end"], data["repair_from"], data["publication_rule"] = pub.end, pub.repair_from, pub.rule
        elif self.kind == "license":
            data["published"] = valid
            data["publication_end"] = rules.license_publication_end(data.get("valid_to"))
        else:
            data["published"] = valid
            data["publication_end"] = data.get("valid_to")
        subject_kind = category
        if who.id_kind == "uscc" and who.key[:2] == "11":
            subject_kind = SubjectKind.GOVERNMENT_AGENCY  # authority 1 机构编制, category 1 机关
        elif who.id_kind == "uscc" and who.key[:2] == "92":
            subject_kind = SubjectKind.INDIVIDUAL_BUSINESS
        data["_identity"] = who
        data["_subject_kind"] = subject_kind
        return data

    def lateness(self, decided: date) -> tuple[int | None, bool, str]:
        """(working days from decision to this report, late?, rule code) — memoized per decision date."""
        cached = self._late_cache.get(decided)
        if cached is None:
            cached = late_for(decided, self.today)
            if len(self._late_cache) < 20_000:
                self._late_cache[decided] = cached
        return cached


def late_for(decided: date, reported: date) -> tuple[int | None, bool, str]:
    rule = rules.reporting_rule_for(decided)
    if rule is None:
        return None, False, rules.NOT_APPLICABLE
    try:
        days = working_days_between(decided, reported).days
    except InvalidInput:  # outside the calendar's range (before 2000)
        return None, False, rules.NOT_APPLICABLE
    return days, rules.is_late(days, rule), rule.code


def display_identifier(cells_text: dict) -> str:
    """What a problem row shows as its identifier: the USCC as given, a personal number masked."""
    number = cells_text.get("id_number")
    if number:
        return ids.mask(as_text(number))
    return as_text(cells_text.get("uscc") or "")[:64]
