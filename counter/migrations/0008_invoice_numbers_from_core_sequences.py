# Invoice numbers now come from the project's one gapless generator (core.sequences, on
# django-sequences). The last number of every year is carried over.
from django.db import migrations


def carry_over(apps, schema_editor):
    Sequence = apps.get_model("sequences", "Sequence")
    InvoiceSequence = apps.get_model("counter", "InvoiceSequence")
    Sequence.objects.bulk_create(
        [Sequence(name=f"invoice:{s.year}", last=s.last) for s in InvoiceSequence.objects.all()],
        ignore_conflicts=True,
    )


def carry_back(apps, schema_editor):
    Sequence = apps.get_model("sequences", "Sequence")
    InvoiceSequence = apps.get_model("counter", "InvoiceSequence")
    for sequence in Sequence.objects.filter(name__startswith="invoice:"):
        InvoiceSequence.objects.update_or_create(
            year=int(sequence.name.split(":")[1]), defaults={"last": sequence.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("counter", "0007_fee_line_charged_at"),
        ("sequences", "0002_alter_sequence_last"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="InvoiceSequence"),
    ]
