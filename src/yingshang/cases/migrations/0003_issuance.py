# Issuance (统一出件) and delivery (送达): owned by the issuance work.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('cases', '0002_applications'), ('kernel', '0001_initial'),
                    migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name='Issuance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('result_name', models.CharField(max_length=200, verbose_name='证照名称')),
                ('number', models.CharField(max_length=64, unique=True, verbose_name='证照编号')),
                ('valid_from', models.DateField(verbose_name='有效期自')),
                ('valid_until', models.DateField(blank=True, help_text='空表示长期有效', null=True, verbose_name='有效期至')),
                ('issued_at', models.DateTimeField(verbose_name='出件时间')),
                ('issued_by_name', models.CharField(blank=True, max_length=100, verbose_name='制证人姓名')),
                ('elicense_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='电子证照')),
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='issuance', to='cases.case', verbose_name='办件')),
                ('decision_document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='kernel.issueddocument', verbose_name='准予许可决定书')),
                ('issued_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='制证人')),
                ('issuer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='kernel.department', verbose_name='发证机关')),
                ('licence_document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='kernel.issueddocument', verbose_name='证照文书')),
            ],
            options={
                'verbose_name': '出件',
                'verbose_name_plural': '出件',
                'ordering': ['-issued_at'],
            },
        ),
        migrations.CreateModel(
            name='Delivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('method', models.CharField(choices=[('pickup', '窗口领取'), ('express', '快递送达')], max_length=8, verbose_name='送达方式')),
                ('recorded_at', models.DateTimeField(verbose_name='登记时间')),
                ('recorded_by_name', models.CharField(blank=True, max_length=100, verbose_name='经办人姓名')),
                ('picked_up_by', models.CharField(blank=True, max_length=100, verbose_name='领取人')),
                ('picked_up_id_masked', models.CharField(blank=True, max_length=32, verbose_name='领取人证件号码（脱敏）')),
                ('by_agent', models.BooleanField(default=False, verbose_name='委托代领')),
                ('picked_up_at', models.DateTimeField(blank=True, null=True, verbose_name='领取时间')),
                ('carrier', models.CharField(blank=True, max_length=16, verbose_name='快递公司')),
                ('tracking_no', models.CharField(blank=True, max_length=40, verbose_name='运单号')),
                ('recipient', models.CharField(blank=True, max_length=100, verbose_name='收件人')),
                ('recipient_phone', models.CharField(blank=True, max_length=20, verbose_name='收件人电话')),
                ('address', models.CharField(blank=True, max_length=300, verbose_name='收件地址')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='寄出时间')),
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='delivery', to='cases.case', verbose_name='办件')),
                ('hall', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='kernel.department', verbose_name='领取大厅')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='经办人')),
            ],
            options={
                'verbose_name': '送达',
                'verbose_name_plural': '送达',
                'ordering': ['-recorded_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('method', 'express')), fields=('carrier', 'tracking_no'), name='delivery_tracking_unique')],
            },
        ),
    ]
