"""The configurable lists, seeded: advice topics and handling organisations."""

from django.db import migrations

TOPICS = [
    ("housing", "Housing"),
    ("work-contracts", "Work and contracts"),
    ("health-care", "Health care"),
    ("taxes-allowances", "Taxes and allowances"),
    ("language-courses", "Language courses"),
    ("children-school", "Children and school"),
    ("other", "Other"),
]
ORGANISATIONS = [
    ("intervention-team", "Regional intervention team", True, 5),
    ("municipality", "Municipality", False, 10),
    ("labour-inspectorate", "Labour inspectorate (Nederlandse Arbeidsinspectie)", False, 10),
    ("housing-authority", "Housing authority", False, 10),
]


def seed(apps, schema_editor):
    AdviceTopic = apps.get_model("advice", "AdviceTopic")
    HandlingOrganisation = apps.get_model("advice", "HandlingOrganisation")
    for position, (code, name) in enumerate(TOPICS):
        AdviceTopic.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    for code, name, default, days in ORGANISATIONS:
        HandlingOrganisation.objects.get_or_create(
            code=code, defaults={"name": name, "is_default": default, "response_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [("advice", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
