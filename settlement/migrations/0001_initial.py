# Settlement became an app of its own. Its tables were created by counter's 0004 (and keep
# their names, see the models' db_table); this takes the models over in the state only. The
# database is not touched: rows, constraints and indexes stay as they are.

import django.db.models.deletion
import django.db.models.expressions
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('counter', '0009_settlement_to_own_app'),
        ('scheduling', '0008_audit_idempotency_to_core'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='StatementNumberSequence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(unique=True)),
                        ('last', models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        'verbose_name': 'statement number sequence',
                        'verbose_name_plural': 'statement number sequences',
                        'db_table': 'counter_statementnumbersequence',
                    },
                ),
                migrations.CreateModel(
                    name='SettlementAgreement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=150, verbose_name='name')),
                        ('model', models.CharField(choices=[('per_registration', 'Fixed amount per registration'), ('per_inhabitant', 'Yearly contribution per inhabitant')], max_length=20, verbose_name='model')),
                        ('amount_per_inhabitant', models.DecimalField(decimal_places=2, default=Decimal('0.25'), max_digits=12, verbose_name='yearly amount per inhabitant (EUR)')),
                        ('valid_from', models.DateField(verbose_name='valid from')),
                        ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid to (inclusive)')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('participants', models.ManyToManyField(related_name='+', to='scheduling.municipality', verbose_name='participating municipalities')),
                        ('payee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='scheduling.municipality', verbose_name='core municipality (receives)')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='scheduling.region', verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'settlement agreement',
                        'verbose_name_plural': 'settlement agreements',
                        'db_table': 'counter_settlementagreement',
                        'ordering': ['region', 'valid_from'],
                    },
                ),
                migrations.CreateModel(
                    name='SettlementPeriod',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('start', models.DateField(unique=True, verbose_name='start')),
                        ('end', models.DateField(verbose_name='end (inclusive)')),
                        ('granularity', models.CharField(choices=[('month', 'Month'), ('quarter', 'Quarter')], max_length=10, verbose_name='granularity')),
                        ('label', models.CharField(max_length=10, unique=True, verbose_name='label')),
                        ('issued_at', models.DateTimeField(blank=True, null=True, verbose_name='issued at')),
                        ('issued_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'settlement period',
                        'verbose_name_plural': 'settlement periods',
                        'db_table': 'counter_settlementperiod',
                        'ordering': ['start'],
                    },
                ),
                migrations.CreateModel(
                    name='SettlementTariff',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount per registration (EUR)')),
                        ('valid_from', models.DateField(verbose_name='valid from')),
                        ('valid_to', models.DateField(blank=True, null=True, verbose_name='valid to (inclusive)')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'settlement tariff',
                        'verbose_name_plural': 'settlement tariffs',
                        'db_table': 'counter_settlementtariff',
                        'ordering': ['valid_from'],
                    },
                ),
                migrations.CreateModel(
                    name='SettlementLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('charge', 'Registration charge'), ('reversal', 'Reversal of a voided registration'), ('contribution', 'Yearly contribution per inhabitant')], max_length=12, verbose_name='kind')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount (EUR)')),
                        ('reference', models.CharField(db_index=True, max_length=20, verbose_name='registration reference')),
                        ('registration_date', models.DateField(verbose_name='registration date')),
                        ('registration_kind', models.CharField(blank=True, choices=[('brp', 'BRP'), ('rni', 'RNI')], max_length=3, verbose_name='registration kind')),
                        ('contribution_year', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('agreement', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='settlement.settlementagreement')),
                        ('payee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='settlement_lines_receivable', to='scheduling.municipality', verbose_name='payee')),
                        ('payer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='settlement_lines_payable', to='scheduling.municipality', verbose_name='payer')),
                        ('record', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='settlement_lines', to='counter.servicerecord')),
                        ('reverses', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='settlement.settlementline', verbose_name='reverses')),
                        ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='settlement.settlementperiod', verbose_name='period')),
                        ('tariff', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='settlement.settlementtariff')),
                    ],
                    options={
                        'verbose_name': 'settlement line',
                        'verbose_name_plural': 'settlement lines',
                        'db_table': 'counter_settlementline',
                        'ordering': ['period', 'registration_date', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Statement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('sequence', models.PositiveIntegerField(verbose_name='sequence in year')),
                        ('number', models.CharField(max_length=20, unique=True, verbose_name='number')),
                        ('issued_at', models.DateTimeField(verbose_name='issued at')),
                        ('issue_date', models.DateField(verbose_name='issue date')),
                        ('receivable_total', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='receivable')),
                        ('payable_total', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='payable')),
                        ('net_total', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='net')),
                        ('line_count', models.PositiveIntegerField(verbose_name='lines')),
                        ('counterparties', models.JSONField(default=list, verbose_name='totals per counterparty')),
                        ('content_hash', models.CharField(max_length=64, verbose_name='SHA-256 of the content')),
                        ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='statements', to='scheduling.municipality')),
                        ('period', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='statements', to='settlement.settlementperiod')),
                    ],
                    options={
                        'verbose_name': 'statement',
                        'verbose_name_plural': 'statements',
                        'db_table': 'counter_statement',
                        'ordering': ['-period__start', 'municipality__name'],
                    },
                ),
                migrations.CreateModel(
                    name='SettlementPayment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount (EUR)')),
                        ('received_on', models.DateField(verbose_name='received on')),
                        ('reference', models.CharField(max_length=100, verbose_name='payment reference')),
                        ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('statement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='settlement.statement')),
                    ],
                    options={
                        'verbose_name': 'settlement payment',
                        'verbose_name_plural': 'settlement payments',
                        'db_table': 'counter_settlementpayment',
                        'ordering': ['received_on', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='StatementDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sent_to', models.EmailField(max_length=254, verbose_name='sent to')),
                        ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='sent at')),
                        ('statement', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='delivery', to='settlement.statement')),
                    ],
                    options={
                        'verbose_name': 'statement delivery',
                        'verbose_name_plural': 'statement deliveries',
                        'db_table': 'counter_statementdelivery',
                    },
                ),
                migrations.AddConstraint(
                    model_name='settlementagreement',
                    constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_from__lte', models.F('valid_to')), _connector='OR'), name='settlement_agreement_range_valid'),
                ),
                migrations.AddConstraint(
                    model_name='settlementperiod',
                    constraint=models.CheckConstraint(condition=models.Q(('start__lte', models.F('end'))), name='settlement_period_range_valid'),
                ),
                migrations.AddConstraint(
                    model_name='settlementtariff',
                    constraint=models.UniqueConstraint(fields=('valid_from',), name='settlement_tariff_unique_start'),
                ),
                migrations.AddConstraint(
                    model_name='settlementtariff',
                    constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_from__lte', models.F('valid_to')), _connector='OR'), name='settlement_tariff_range_valid'),
                ),
                migrations.AddConstraint(
                    model_name='settlementtariff',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='settlement_tariff_amount_not_negative'),
                ),
                migrations.AddIndex(
                    model_name='settlementline',
                    index=models.Index(fields=['period', 'payer'], name='settle_line_period_payer'),
                ),
                migrations.AddIndex(
                    model_name='settlementline',
                    index=models.Index(fields=['period', 'payee'], name='settle_line_period_payee'),
                ),
                migrations.AddConstraint(
                    model_name='settlementline',
                    constraint=models.CheckConstraint(condition=models.Q(('payer', models.F('payee')), _negated=True), name='settlement_line_two_municipalities'),
                ),
                migrations.AddConstraint(
                    model_name='settlementline',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'charge'), ('amount__gt', 0), ('reverses__isnull', True)), models.Q(('kind', 'contribution'), ('amount__gt', 0), ('reverses__isnull', True)), models.Q(('kind', 'reversal'), ('amount__lt', 0), ('reverses__isnull', False)), _connector='OR'), name='settlement_line_kind_sign'),
                ),
                migrations.AddConstraint(
                    model_name='settlementline',
                    constraint=models.UniqueConstraint(condition=models.Q(('kind', 'charge')), fields=('record',), name='settlement_line_one_charge_per_record'),
                ),
                migrations.AddConstraint(
                    model_name='settlementline',
                    constraint=models.UniqueConstraint(condition=models.Q(('kind', 'contribution')), fields=('agreement', 'contribution_year', 'payer'), name='settlement_line_one_contribution_per_year'),
                ),
                migrations.AddConstraint(
                    model_name='statement',
                    constraint=models.UniqueConstraint(fields=('municipality', 'period'), name='statement_one_per_municipality_period'),
                ),
                migrations.AddConstraint(
                    model_name='statement',
                    constraint=models.UniqueConstraint(fields=('year', 'sequence'), name='statement_number_gapless'),
                ),
                migrations.AddConstraint(
                    model_name='statement',
                    constraint=models.CheckConstraint(condition=models.Q(('net_total', django.db.models.expressions.CombinedExpression(models.F('receivable_total'), '-', models.F('payable_total')))), name='statement_net_is_receivable_minus_payable'),
                ),
                migrations.AddConstraint(
                    model_name='settlementpayment',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='settlement_payment_positive'),
                ),
            ],
        )
    ]
