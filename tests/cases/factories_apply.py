"""Online application fixtures: applicants with accounts, an item whose materials may come from the
library or e-licences, files of each accepted type, a fake e-licence service."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tests.cases.conftest import PERSON_ID, publish, valid_uscc
from tests.factories import UserFactory
from yingshang.cases.services import applications, online
from yingshang.catalog.content import MaterialRow, StepRow, VersionContent
from yingshang.kernel.errors import NotFound
from yingshang.kernel.protect import id_digest

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 32


def ofd() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    return buf.getvalue()


def pdf(name: str = "材料.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def exe(name: str = "申请书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, EXE, content_type="application/pdf")


def citizen(username: str = "lilei", name: str = "李雷", identifier: str = PERSON_ID):
    return UserFactory(username=username, real_name=name, role_codes=["citizen"], id_number_digest=id_digest(identifier),
                       id_number_masked=identifier[:6] + "********" + identifier[-4:], phone="13800138000")


def enterprise(username: str = "hengtai"):
    uscc = valid_uscc()
    return UserFactory(username=username, real_name="王经办", role_codes=["enterprise"], uscc=uscc,
                       organization_name="榆林市恒泰能源科技有限公司")


def change_registration(**fields) -> VersionContent:
    """企业变更登记 online: the licence may come from the library or the e-licence wallet; the site proof may
    be pending (容缺) and reused from the library; the application form is this case's own."""
    base = {"name": "企业变更登记", "item_type": "other_power", "legal_basis": "《中华人民共和国市场主体登记管理条例》第二十四条",
            "kind": "committed", "statutory_limit_days": 3, "committed_limit_days": 1, "do_online": True,
            "channels": ["window", "online"]}
    base.update(fields)
    return VersionContent(
        fields=base,
        materials=[MaterialRow("变更登记申请书"),
                   MaterialRow("营业执照", form="copy", from_library=True, elicense_type="营业执照"),
                   MaterialRow("经营场所使用证明", form="copy", pending_allowed=True, from_library=True),
                   MaterialRow("其他说明", required=False, from_library=True)],
        steps=[StepRow("受理", "610800-SCJG", 1, "accept", 0), StepRow("审查", "610800-SCJG", 2, "review", 1)],
    )


def make_online_item(city):
    """Publish 企业变更登记 (use from a module fixture `online_item`)."""
    return publish("SCJG-BG-001", change_registration(), city.scjg)


def mids(version) -> dict[str, int]:
    """Material ids by name."""
    return {m.name: m.pk for m in version.materials.all()}


def new_draft(user, version):
    with transaction.atomic():
        return applications.do_create_application(user, version.item.code, submit=False)


def update(user, case, **changes):
    with transaction.atomic():
        return online.do_update(user, case.pk, case.row_version, online.Changes(**changes))


def complete_draft(user, version):
    """A draft with the two required materials that are not pending-allowed uploaded."""
    ids = mids(version)
    case = new_draft(user, version)
    return update(user, case, uploads={ids["变更登记申请书"]: pdf("申请书.pdf"), ids["营业执照"]: pdf("营业执照.pdf")})


@dataclass(frozen=True)
class FakeLicence:
    id: int
    name: str
    number: str
    holder_name: str
    issuer_name: str
    issued_on: date
    valid_until: date | None


class FakeLicenceServices:
    """Stands in for `yingshang.licences.services`: the interface the cases app codes against."""

    def __init__(self, owner, licences):
        self.owner, self.licences = owner, {lic.id: lic for lic in licences}

    def holder_licences(self, user):
        return list(self.licences.values()) if user.pk == self.owner.pk else []

    def get_holder_licence(self, user, licence_id):
        lic = self.licences.get(int(licence_id)) if str(licence_id).isdigit() else None
        if lic is None or user.pk != self.owner.pk:
            raise NotFound("licence.not_found", "未找到该电子证照")
        return lic


BUSINESS_LICENCE = FakeLicence(7, "营业执照", "91610800MA0000001X", "榆林市恒泰能源科技有限公司", "榆林市市场监督管理局",
                               date(2020, 5, 1), None)
FOOD_LICENCE = FakeLicence(8, "食品经营许可证", "JY16108000000001", "榆林市恒泰能源科技有限公司", "榆林市市场监督管理局",
                           date(2021, 5, 1), date(2099, 5, 1))
EXPIRED_LICENCE = FakeLicence(9, "营业执照", "91610800MA0000002X", "榆林市恒泰能源科技有限公司", "榆林市市场监督管理局",
                              date(2010, 5, 1), date(2015, 5, 1))


def licence_installer(monkeypatch):
    """An installer of a fake e-licence service for a user: `install(user, [licences])`."""
    from yingshang.cases.services import library

    def install(owner, licences=(BUSINESS_LICENCE, FOOD_LICENCE, EXPIRED_LICENCE)):
        fake = FakeLicenceServices(owner, licences)
        monkeypatch.setattr(library, "licence_services", lambda: fake)
        return fake

    return install
