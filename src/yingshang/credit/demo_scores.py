"""Demo: scores and grades for some demo subjects, so the dashboard shows a tier distribution at once
(the rest are computed when first read, and by the nightly job)."""

from __future__ import annotations

from yingshang.kernel.demo import DemoReport, seeder

DEMO_SUBJECTS = 300  # about 2–4 s; enough for the distribution


@seeder("credit-scores", order=60)
def seed_scores(report: DemoReport) -> None:
    from yingshang.credit.models import SubjectScore
    from yingshang.credit.services.scores import refresh_due

    done = refresh_due(DEMO_SUBJECTS, missing=DEMO_SUBJECTS)
    report.lines.append(f"信用评价：本次计算 {done} 个主体，已有评价结果 {SubjectScore.objects.count()} 个")
