# Online application (网上申报): files and e-licences on submitted materials, the form, the material
# library and the pre-review.
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('cases', '0001_initial'),
        ('kernel', '0002_stored_files'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='submittedmaterial',
            name='elicense_id',
            field=models.CharField(blank=True, max_length=64, verbose_name='电子证照标识'),
        ),
        migrations.AddField(
            model_name='submittedmaterial',
            name='elicense_number',
            field=models.CharField(blank=True, max_length=100, verbose_name='电子证照编号'),
        ),
        migrations.AddField(
            model_name='submittedmaterial',
            name='file',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                    to='kernel.storedfile', verbose_name='上传文件'),
        ),
        migrations.AddField(
            model_name='submittedmaterial',
            name='source',
            field=models.CharField(blank=True, choices=[('upload', '上传'), ('library', '材料库'), ('elicense', '电子证照')],
                                   max_length=10, verbose_name='提供方式'),
        ),
        migrations.CreateModel(
            name='ApplicationForm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('data', models.JSONField(blank=True, default=dict, verbose_name='表单内容')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='更新时间')),
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='form',
                                              to='cases.case', verbose_name='办件')),
            ],
            options={
                'verbose_name': '申请表单',
                'verbose_name_plural': '申请表单',
            },
        ),
        migrations.CreateModel(
            name='PreReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('round', models.PositiveSmallIntegerField(default=0, verbose_name='补正轮次')),
                ('outcome', models.CharField(choices=[('passed', '预审通过'), ('returned', '退回补正')], max_length=10,
                                             verbose_name='结论')),
                ('items', models.JSONField(blank=True, default=list, verbose_name='补正内容')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='预审意见')),
                ('clerk_name', models.CharField(blank=True, max_length=100, verbose_name='预审人姓名')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='预审时间')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='prereviews',
                                           to='cases.case', verbose_name='办件')),
                ('clerk', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                            related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='预审人')),
            ],
            options={
                'verbose_name': '网上预审',
                'verbose_name_plural': '网上预审',
                'ordering': ['case', 'at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='LibraryEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('material_name', models.CharField(max_length=200, verbose_name='材料名称')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='加入时间')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='最近使用')),
                ('file', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                           to='kernel.storedfile', verbose_name='文件')),
                ('owner', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+',
                                            to=settings.AUTH_USER_MODEL, verbose_name='所有人')),
            ],
            options={
                'verbose_name': '材料库文件',
                'verbose_name_plural': '材料库文件',
                'ordering': ['owner', '-id'],
                'indexes': [models.Index(fields=['owner', '-id'], name='library_owner_idx')],
                'constraints': [models.UniqueConstraint(fields=('owner', 'file'), name='library_owner_file_unique')],
            },
        ),
    ]
