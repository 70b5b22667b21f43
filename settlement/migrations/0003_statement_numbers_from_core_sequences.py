# Statement numbers now come from the project's one gapless generator (core.sequences, on
# django-sequences), sequence ``statement:<year>``. The last number of every year is carried
# over (never lowered, should the sequence exist already), then the old table is dropped.
from django.db import migrations


def carry_over(apps, schema_editor):
    Sequence = apps.get_model("sequences", "Sequence")
    StatementNumberSequence = apps.get_model("settlement", "StatementNumberSequence")
    for old in StatementNumberSequence.objects.all():
        sequence, created = Sequence.objects.get_or_create(
            name=f"statement:{old.year}", defaults={"last": old.last}
        )
        if not created and sequence.last < old.last:
            sequence.last = old.last
            sequence.save(update_fields=["last"])


def carry_back(apps, schema_editor):
    Sequence = apps.get_model("sequences", "Sequence")
    StatementNumberSequence = apps.get_model("settlement", "StatementNumberSequence")
    for sequence in Sequence.objects.filter(name__startswith="statement:"):
        StatementNumberSequence.objects.update_or_create(
            year=int(sequence.name.split(":")[1]), defaults={"last": sequence.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("settlement", "0002_moved_paths"),
        ("sequences", "0002_alter_sequence_last"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="StatementNumberSequence"),
    ]
