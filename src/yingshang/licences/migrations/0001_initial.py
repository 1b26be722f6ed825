
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('kernel', '0003_storedfile'),
    ]

    operations = [
        migrations.CreateModel(
            name='ELicense',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='证照名称')),
                ('number', models.CharField(max_length=64, unique=True, verbose_name='证照编号')),
                ('holder_key', models.CharField(max_length=64, verbose_name='持证主体摘要')),
                ('holder_kind', models.CharField(choices=[('person', '自然人'), ('enterprise', '法人或其他组织')], max_length=12, verbose_name='持证主体类型')),
                ('holder_name', models.CharField(max_length=200, verbose_name='持证主体')),
                ('holder_id_masked', models.CharField(blank=True, max_length=32, verbose_name='证件号码（脱敏）')),
                ('issuer_name', models.CharField(max_length=100, verbose_name='发证机关名称')),
                ('issued_on', models.DateField(verbose_name='发证日期')),
                ('valid_until', models.DateField(blank=True, null=True, verbose_name='有效期至')),
                ('source_type', models.CharField(blank=True, max_length=32, verbose_name='来源类型')),
                ('source_ref', models.CharField(blank=True, max_length=64, verbose_name='来源编号')),
                ('status', models.CharField(choices=[('valid', '有效'), ('revoked', '已注销')], default='valid', max_length=10, verbose_name='状态')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='注销时间')),
                ('revoke_reason', models.CharField(blank=True, max_length=200, verbose_name='注销原因')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='kernel.issueddocument', verbose_name='证照文书')),
                ('issuer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='kernel.department', verbose_name='发证机关')),
            ],
            options={
                'verbose_name': '电子证照',
                'verbose_name_plural': '电子证照',
                'ordering': ['-issued_on', '-id'],
                'indexes': [models.Index(fields=['holder_key', 'status', '-issued_on'], name='elicense_holder_idx'), models.Index(fields=['source_type', 'source_ref'], name='elicense_source_idx')],
            },
        ),
    ]
