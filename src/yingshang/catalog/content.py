"""A version's content as plain values: what import, export, the demo and "new draft" copy and compare.

Departments and halls are named by code, so two contents compare equal exactly when the guide
they produce is the same (the change note and lifecycle fields are not content).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from yingshang.catalog import rules

VERSION_FIELDS = (
    "name", "item_type", "legal_basis", "kind", "statutory_limit_days", "committed_limit_days", "applicant_kinds",
    "conditions", "result_name", "do_now", "do_online", "do_nearby", "do_once", "at_most_one_visit", "zero_visit",
    "visits_needed", "notify_and_commit", "channels", "consultation_phone", "complaint_phone", "service_hours",
    "location_note",
)
FIELD_DEFAULTS: dict[str, object] = {
    "legal_basis": "", "kind": "committed", "statutory_limit_days": None, "committed_limit_days": 0,
    "applicant_kinds": [], "conditions": "", "result_name": "", "do_now": False, "do_online": False,
    "do_nearby": False, "do_once": False, "at_most_one_visit": False, "zero_visit": False, "visits_needed": 1,
    "notify_and_commit": False, "channels": [], "consultation_phone": "", "complaint_phone": "", "service_hours": "",
    "location_note": "",
}


@dataclass
class DepartmentRow:
    department: str  # code
    responsibility: str = ""


@dataclass
class MaterialRow:
    name: str
    form: str = "original"
    count: int = 1
    required: bool = True
    pending_allowed: bool = False
    from_library: bool = False
    elicense_type: str = ""
    notes: str = ""


@dataclass
class FeeRow:
    name: str
    amount: Decimal | None = None
    unit: str = ""
    basis: str = ""


@dataclass
class StepRow:
    name: str
    department: str  # code
    stage: int = 1
    step_kind: str = "review"
    limit_days: int = 0


@dataclass
class VersionContent:
    fields: dict[str, object]
    departments: list[DepartmentRow] = field(default_factory=list)
    halls: list[str] = field(default_factory=list)  # hall department codes
    materials: list[MaterialRow] = field(default_factory=list)
    fees: list[FeeRow] = field(default_factory=list)
    steps: list[StepRow] = field(default_factory=list)

    def __post_init__(self) -> None:
        unknown = set(self.fields) - set(VERSION_FIELDS)
        if unknown:
            raise ValueError(f"unknown version fields {sorted(unknown)}")
        self.fields = {**FIELD_DEFAULTS, **self.fields}

    def comparable(self) -> dict:
        """A canonical form: equal for equal guides (fee amounts normalised, halls as a set)."""
        data = asdict(self)
        data["halls"] = sorted(set(self.halls))
        data["fields"]["applicant_kinds"] = sorted(self.fields.get("applicant_kinds") or [])
        data["fields"]["channels"] = sorted(self.fields.get("channels") or [])
        for fee in data["fees"]:
            fee["amount"] = None if fee["amount"] is None else str(Decimal(fee["amount"]).quantize(Decimal("0.01")))
        return data

    def facts(self, owner: str) -> rules.VersionFacts:
        f = self.fields
        return rules.VersionFacts(
            name=str(f.get("name") or ""), item_type=str(f.get("item_type") or ""),
            legal_basis=str(f.get("legal_basis") or ""), kind=str(f.get("kind") or ""),
            statutory_limit_days=f.get("statutory_limit_days"), committed_limit_days=int(f.get("committed_limit_days") or 0),
            owner=owner, departments=tuple(d.department for d in self.departments),
            steps=tuple(rules.StepFacts(s.name, s.department, s.stage, s.limit_days) for s in self.steps),
            materials=tuple(rules.MaterialFacts(m.name, m.required, m.pending_allowed, m.count) for m in self.materials),
            fees=tuple(rules.FeeFacts(x.name, x.amount) for x in self.fees),
            do_now=bool(f.get("do_now")), do_online=bool(f.get("do_online")), do_once=bool(f.get("do_once")),
            at_most_one_visit=bool(f.get("at_most_one_visit")), zero_visit=bool(f.get("zero_visit")),
            visits_needed=int(f.get("visits_needed") or 0), channels=tuple(f.get("channels") or ()),
        )


def content_of(version) -> VersionContent:
    """Read a stored version's content (5 queries)."""
    return VersionContent(
        fields={name: getattr(version, name) for name in VERSION_FIELDS},
        departments=[DepartmentRow(code, resp) for code, resp in
                     version.joint_departments.order_by("sort_order", "id").values_list("department__code", "responsibility")],
        halls=list(version.halls.order_by("code").values_list("code", flat=True)),
        materials=[MaterialRow(**row) for row in version.materials.order_by("sort_order", "id").values(
            "name", "form", "count", "required", "pending_allowed", "from_library", "elicense_type", "notes")],
        fees=[FeeRow(**row) for row in version.fees.order_by("sort_order", "id").values("name", "amount", "unit", "basis")],
        steps=[StepRow(name=row["name"], department=row["department__code"], stage=row["stage"],
                       step_kind=row["step_kind"], limit_days=row["limit_days"])
               for row in version.steps.order_by("stage", "sort_order", "id").values(
                   "name", "department__code", "stage", "step_kind", "limit_days")],
    )
