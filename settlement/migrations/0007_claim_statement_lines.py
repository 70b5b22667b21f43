"""Claim lines join their statement through membership rows (``ClaimStatementLine``) instead
of a ``statement`` column set on every line: the links of lines already issued are copied,
then the column and its index go."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    ClaimLine = apps.get_model("settlement", "ClaimLine")
    ClaimStatementLine = apps.get_model("settlement", "ClaimStatementLine")
    rows = (
        ClaimLine.objects.filter(statement__isnull=False)
        .order_by("pk")
        .values_list("pk", "statement_id")
        .iterator(chunk_size=5000)
    )
    batch = []
    for line_id, statement_id in rows:
        batch.append(ClaimStatementLine(line_id=line_id, statement_id=statement_id))
        if len(batch) == 5000:
            ClaimStatementLine.objects.bulk_create(batch)
            batch = []
    ClaimStatementLine.objects.bulk_create(batch)


def copy_links_back(apps, schema_editor):
    ClaimLine = apps.get_model("settlement", "ClaimLine")
    ClaimStatementLine = apps.get_model("settlement", "ClaimStatementLine")
    for link in ClaimStatementLine.objects.iterator(chunk_size=5000):
        ClaimLine.objects.filter(pk=link.line_id).update(statement_id=link.statement_id)


class Migration(migrations.Migration):
    dependencies = [
        ("settlement", "0006_claim_line_statement_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimStatementLine",
            fields=[
                (
                    "line",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="statement_link",
                        serialize=False,
                        to="settlement.claimline",
                    ),
                ),
                (
                    "statement",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="line_links",
                        to="settlement.claimstatement",
                    ),
                ),
            ],
            options={
                "verbose_name": "claimed line",
                "verbose_name_plural": "claimed lines",
            },
        ),
        migrations.RunPython(copy_links, copy_links_back),
        migrations.RemoveIndex(
            model_name="claimline",
            name="settlement__stateme_e3ff54_idx",
        ),
        migrations.RemoveField(
            model_name="claimline",
            name="statement",
        ),
    ]
