"""Seed the procedures and must-tender thresholds from `trading.rules` (maintained in the admin afterwards)."""

from django.db import migrations


def seed(apps, schema_editor):
    from yingshang.trading.services.rulebook import ensure_rules_data

    ensure_rules_data(apps.get_model("trading", "Procedure"), apps.get_model("trading", "MustTenderThreshold"))


class Migration(migrations.Migration):
    dependencies = [("trading", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
