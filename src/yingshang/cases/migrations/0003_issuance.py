# Placeholder in the migration chain so parallel work on one app never forks it; filled by its owner.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('cases', '0002_applications')]

    operations = []
