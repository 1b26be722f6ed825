from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('cases', '0003_issuance')]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('accepted_on__isnull', False)), fields=['accepted_on'],
                               name='case_accepted_on_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('decided_on__isnull', False)), fields=['decided_on'],
                               name='case_decided_on_idx'),
        ),
    ]
