"""The e-guarantee issuer adapter (电子保函 verified online by the issuer's code): the setting
TRADING_GUARANTEE_ISSUER (env YS_TRADING_GUARANTEE_ISSUER) names it; `SimulatedIssuer` answers from the
registry table `SimulatedGuarantee` (demo, tests). The platform never refuses a guarantee the issuer
confirms and that covers the bond (seed 004); what it checks is in rules_bonds.check_guarantee."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from yingshang.trading.rules_bonds import GuaranteeFacts


class Issuer:
    def known(self, issuer_code: str) -> bool:
        raise NotImplementedError

    def verify(self, issuer_code: str, guarantee_no: str) -> GuaranteeFacts:
        raise NotImplementedError


class SimulatedIssuer(Issuer):
    def known(self, issuer_code: str) -> bool:
        from yingshang.trading.models import SimulatedGuarantee

        return SimulatedGuarantee.objects.filter(issuer_code=issuer_code).exists()

    def verify(self, issuer_code: str, guarantee_no: str) -> GuaranteeFacts:
        from yingshang.trading.models import SimulatedGuarantee

        row = SimulatedGuarantee.objects.filter(issuer_code=issuer_code, guarantee_no=guarantee_no).first()
        if row is None:
            return GuaranteeFacts(found=False)
        return GuaranteeFacts(True, row.kind, row.issuer_name, row.amount, row.beneficiary_uscc, row.lot_ref,
                              row.applicant_uscc, row.valid_from, row.valid_to, row.revoked, row.basic_account_bank)


def get_issuer() -> Issuer:
    return import_string(getattr(settings, "TRADING_GUARANTEE_ISSUER", "")
                         or "yingshang.trading.issuers.SimulatedIssuer")()
