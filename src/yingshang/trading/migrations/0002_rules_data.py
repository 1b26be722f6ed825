"""Seed the procedures and must-tender thresholds from `trading.rules` (maintained in the admin afterwards)."""

from django.db import migrations


def seed(apps, schema_editor):
    from yingshang.trading import rules

    Procedure = apps.get_model("trading", "Procedure")
    Threshold = apps.get_model("trading", "MustTenderThreshold")
    for order, p in enumerate(rules.PROCEDURES):
        Procedure.objects.update_or_create(code=p.code, effective_from=p.effective_from, defaults={
            "name": p.name, "regime": p.regime, "effective_to": p.effective_to,
            "min_document_days": p.min_document_days, "document_day_kind": p.document_day_kind,
            "min_sale_days": p.min_sale_days, "sale_day_kind": p.sale_day_kind,
            "prequalification_allowed": p.prequalification_allowed, "min_bidders": p.min_bidders,
            "source": p.source, "sort_order": order})
    for t in rules.THRESHOLDS:
        Threshold.objects.update_or_create(lot_type=t.lot_type, effective_from=t.effective_from, defaults={
            "amount": t.amount, "effective_to": t.effective_to, "source": t.source})


class Migration(migrations.Migration):
    dependencies = [("trading", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
