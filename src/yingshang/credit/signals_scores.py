"""Signal handlers keeping stored scores honest: a change to a subject's inputs marks its result stale,
a change to the scoring tables marks every result stale (recomputed lazily; see services.scores)."""

from __future__ import annotations

from contextlib import suppress

from django.db.models.signals import post_delete, post_save


def subject_input_changed(sender, instance, **kwargs) -> None:
    from yingshang.credit.services.scores import mark_stale

    mark_stale([getattr(instance, "subject_id", None)])


def scheme_changed(sender, **kwargs) -> None:
    from yingshang.credit.services.scores import mark_all_stale

    mark_all_stale()


def connect() -> None:
    from django.apps import apps

    from yingshang.credit.models import ListEntry, OtherRecord, PenaltyRecord, ScoreRule, ScoreTier, ScoringScheme

    inputs = [ListEntry, OtherRecord, PenaltyRecord]
    with suppress(LookupError):
        inputs.append(apps.get_model("credit", "Commitment"))  # the commitments work (issue 4 §10)
    for model in inputs:
        post_save.connect(subject_input_changed, sender=model, dispatch_uid=f"credit.scores.save.{model.__name__}")
        post_delete.connect(subject_input_changed, sender=model, dispatch_uid=f"credit.scores.del.{model.__name__}")
    for model in (ScoringScheme, ScoreTier, ScoreRule):
        post_save.connect(scheme_changed, sender=model, dispatch_uid=f"credit.scores.scheme.save.{model.__name__}")
        post_delete.connect(scheme_changed, sender=model, dispatch_uid=f"credit.scores.scheme.del.{model.__name__}")
