# Queue numbers now come from the project's one gapless generator (core.sequences, on
# django-sequences). The last number of every (location, day, prefix) is carried over.
from django.db import migrations


def carry_over(apps, schema_editor):
    Sequence = apps.get_model("sequences", "Sequence")
    TicketSequence = apps.get_model("kiosk", "TicketSequence")
    Sequence.objects.bulk_create(
        [
            Sequence(
                name=f"queue:{s.location_id}:{s.service_date.isoformat()}:{s.prefix}",
                last=s.last_number,
            )
            for s in TicketSequence.objects.all()
        ],
        ignore_conflicts=True,
    )


def carry_back(apps, schema_editor):
    Sequence = apps.get_model("sequences", "Sequence")
    TicketSequence = apps.get_model("kiosk", "TicketSequence")
    for sequence in Sequence.objects.filter(name__startswith="queue:"):
        _, location_id, day, prefix = sequence.name.split(":")
        TicketSequence.objects.update_or_create(
            location_id=int(location_id),
            service_date=day,
            prefix=prefix,
            defaults={"last_number": sequence.last},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("kiosk", "0001_queue"),
        ("sequences", "0002_alter_sequence_last"),
    ]

    operations = [
        migrations.RunPython(carry_over, carry_back),
        migrations.DeleteModel(name="TicketSequence"),
    ]
