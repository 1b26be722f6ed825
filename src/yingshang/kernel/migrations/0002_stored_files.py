# StoredFile: uploaded files kept outside the web root (kernel/models/files.py, kernel/services/uploads.py).
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('kernel', '0001_initial')]

    operations = [
        migrations.CreateModel(
            name='StoredFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256')),
                ('size', models.PositiveBigIntegerField(verbose_name='大小（字节）')),
                ('content_type', models.CharField(max_length=100, verbose_name='文件类型')),
                ('original_name', models.CharField(max_length=150, verbose_name='原文件名')),
                ('path', models.CharField(help_text='相对于数据目录', max_length=255, unique=True, verbose_name='存储路径')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='上传时间')),
                ('owner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                            related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='上传人')),
            ],
            options={
                'verbose_name': '上传文件',
                'verbose_name_plural': '上传文件',
                'ordering': ['-id'],
            },
        ),
    ]
