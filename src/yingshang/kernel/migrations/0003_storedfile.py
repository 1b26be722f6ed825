# Kept as an empty step so that migrations depending on it (licences 0001) stay valid: StoredFile is
# created in 0002_stored_files, the placeholder owned by the online-application work.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [('kernel', '0002_stored_files')]

    operations = []
