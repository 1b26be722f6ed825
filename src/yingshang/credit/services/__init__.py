"""Credit services: the only code that changes credit data. Other apps call what is exported here."""

from yingshang.credit.services.joint import CheckResult, acceptance_hits, check, do_record_feedback

__all__ = ["CheckResult", "acceptance_hits", "check", "do_record_feedback"]
