# Scores and grades (issue 4 §9): schemes, tiers, point rules, stored results; new other-record kinds.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('credit', '0002_objections')]

    operations = [
        migrations.AlterField(
            model_name='otherrecord',
            name='kind',
            field=models.CharField(choices=[('judgment_debtor', '失信被执行人'), ('tax_credit_grade', '纳税信用等级'), ('honour', '表彰奖励'), ('commitment_breach', '信用承诺失信'), ('volunteering', '志愿服务'), ('blood_donation', '无偿献血'), ('charity', '慈善捐赠'), ('other', '其他信用信息')], max_length=24, verbose_name='信息类别'),
        ),
        migrations.CreateModel(
            name='ScoringScheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('audience', models.CharField(choices=[('person', '个人信用积分'), ('organization', '企业信用等级')], max_length=16, verbose_name='适用对象')),
                ('code', models.SlugField(max_length=60, unique=True, verbose_name='编码')),
                ('name', models.CharField(max_length=100, verbose_name='名称')),
                ('effective_from', models.DateField(verbose_name='生效日期')),
                ('base_score', models.DecimalField(decimal_places=1, max_digits=6, verbose_name='基础分')),
                ('min_score', models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name='最低分')),
                ('max_score', models.DecimalField(decimal_places=1, max_digits=6, verbose_name='最高分')),
                ('source', models.TextField(blank=True, default='', verbose_name='依据')),
                ('is_active', models.BooleanField(default=True, verbose_name='启用')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '信用评价方案',
                'verbose_name_plural': '信用评价方案',
                'ordering': ['audience', '-effective_from'],
                'constraints': [models.UniqueConstraint(fields=('audience', 'effective_from'), name='credit_scheme_version')],
            },
        ),
        migrations.CreateModel(
            name='ScoreTier',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=20, verbose_name='编码')),
                ('name', models.CharField(max_length=40, verbose_name='名称')),
                ('min_score', models.DecimalField(decimal_places=1, max_digits=6, verbose_name='最低分（含）')),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tiers', to='credit.scoringscheme', verbose_name='方案')),
            ],
            options={
                'verbose_name': '档次',
                'verbose_name_plural': '档次',
                'ordering': ['scheme', '-min_score'],
                'constraints': [models.UniqueConstraint(fields=('scheme', 'code'), name='credit_tier_code')],
            },
        ),
        migrations.CreateModel(
            name='ScoreRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=60, verbose_name='编码')),
                ('name', models.CharField(max_length=100, verbose_name='名称')),
                ('source', models.CharField(choices=[('penalty', '行政处罚'), ('list_entry', '名单（在列）'), ('other_record', '其他信用信息'), ('commitment_kept', '信用承诺履约'), ('clean_record', '长期无失信记录')], max_length=20, verbose_name='计分对象')),
                ('points', models.DecimalField(decimal_places=1, help_text='加分为正，减分为负', max_digits=6, verbose_name='每项分值')),
                ('max_points', models.DecimalField(blank=True, decimal_places=1, max_digits=6, null=True, verbose_name='该项累计上限（绝对值）')),
                ('window_months', models.PositiveIntegerField(blank=True, help_text='自记录日期起计分的月数；为空表示在列或长期计分。长期无失信记录：每满该月数计一次', null=True, verbose_name='计分期（月）')),
                ('priority', models.PositiveIntegerField(default=100, help_text='数字小者先匹配；一条记录只按第一条匹配的规则计分', verbose_name='优先级')),
                ('severities', models.CharField(blank=True, default='', help_text='逗号分隔：minor、general、serious；为空不限', max_length=60, verbose_name='失信严重程度')),
                ('penalty_categories', models.CharField(blank=True, default='', help_text='逗号分隔，任一出现即匹配（用于“较重”处罚）', max_length=200, verbose_name='处罚类别包含')),
                ('list_kind', models.CharField(blank=True, choices=[('red', '守信红名单'), ('black', '失信黑名单'), ('watch', '重点关注名单')], default='', max_length=8, verbose_name='名单类别')),
                ('list_type_code', models.CharField(blank=True, default='', max_length=60, verbose_name='名单类型编码')),
                ('record_kind', models.CharField(blank=True, default='', max_length=24, verbose_name='信息类别')),
                ('grades', models.CharField(blank=True, default='', help_text='逗号分隔，如 A 或 C,D', max_length=20, verbose_name='纳税信用等级')),
                ('tier_cap', models.CharField(blank=True, default='', help_text='命中时结果不高于该档次（档次编码），如黑名单企业最高为D级', max_length=20, verbose_name='最高档次')),
                ('is_active', models.BooleanField(default=True, verbose_name='启用')),
                ('note', models.CharField(blank=True, default='', max_length=200, verbose_name='说明')),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rules', to='credit.scoringscheme', verbose_name='方案')),
            ],
            options={
                'verbose_name': '计分规则',
                'verbose_name_plural': '计分规则',
                'ordering': ['scheme', 'priority', 'code'],
                'constraints': [models.UniqueConstraint(fields=('scheme', 'code'), name='credit_score_rule_code')],
            },
        ),
        migrations.CreateModel(
            name='SubjectScore',
            fields=[
                ('subject', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='score', serialize=False, to='credit.subject', verbose_name='信用主体')),
                ('audience', models.CharField(choices=[('person', '个人信用积分'), ('organization', '企业信用等级')], max_length=16, verbose_name='类型')),
                ('score', models.DecimalField(decimal_places=1, max_digits=6, verbose_name='分数')),
                ('tier_code', models.CharField(max_length=20, verbose_name='档次编码')),
                ('tier_name', models.CharField(max_length=40, verbose_name='档次')),
                ('capped_by', models.CharField(blank=True, default='', max_length=100, verbose_name='档次上限原因')),
                ('lines', models.JSONField(default=list, verbose_name='计分明细')),
                ('computed_at', models.DateTimeField(verbose_name='计算时间')),
                ('computed_on', models.DateField(verbose_name='计算日期')),
                ('changes_on', models.DateField(blank=True, null=True, verbose_name='到期重算日')),
                ('stale', models.BooleanField(default=False, verbose_name='待重算')),
                ('scheme', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='credit.scoringscheme', verbose_name='方案')),
            ],
            options={
                'verbose_name': '信用评价结果',
                'verbose_name_plural': '信用评价结果',
                'indexes': [models.Index(fields=['stale'], name='credit_score_stale_idx'), models.Index(fields=['changes_on'], name='credit_score_changes_idx'), models.Index(fields=['audience', 'tier_code'], name='credit_score_tier_idx')],
            },
        ),
    ]
