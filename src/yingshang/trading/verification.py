"""Checking an expert's registration against the identity (公安人口库) and social-security (社保参保) records.

One small interface, chosen by `settings.YS_EXPERT_VERIFIER` (a dotted class path; default the simulated
adapter). A real adapter calls the data-sharing exchange; the simulated one answers from an in-memory
table the demo and the tests fill (`SimulatedVerifier.identities`, `.insured_with`), and otherwise confirms.

An identity mismatch refuses the registration; a social-security mismatch (insured with another employer
than the one declared) registers the expert flagged, not drawable until the centre clears it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class VerificationResult:
    identity_ok: bool
    employment_ok: bool
    reason: str = ""  # Chinese, shown to the centre; empty when both hold

    @property
    def ok(self) -> bool:
        return self.identity_ok and self.employment_ok


class ExpertVerifier(ABC):
    @abstractmethod
    def verify(self, *, name: str, id_number: str, employer_uscc: str) -> VerificationResult:
        """Check the name against the ID number and the employer against the social-security record."""


class SimulatedVerifier(ExpertVerifier):
    """For the demo and the tests: mismatches only where the tables say so (keyed by the ID number)."""

    identities: dict[str, str] = {}  # id number → the name the identity record has
    insured_with: dict[str, str] = {}  # id number → the USCC the person is insured with

    def verify(self, *, name: str, id_number: str, employer_uscc: str) -> VerificationResult:
        recorded = self.identities.get(id_number)
        if recorded is not None and recorded != name:
            return VerificationResult(False, False, "姓名与公民身份号码不一致（人口信息核验）")
        insured = self.insured_with.get(id_number)
        if insured is not None and insured != employer_uscc:
            return VerificationResult(True, False, "社保参保单位与申报的工作单位不一致")
        return VerificationResult(True, True)


def get_verifier() -> ExpertVerifier:
    path = getattr(settings, "YS_EXPERT_VERIFIER", "yingshang.trading.verification.SimulatedVerifier")
    return import_string(path)()
