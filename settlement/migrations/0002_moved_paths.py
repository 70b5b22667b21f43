# What the database stored under the counter app's name now lives in the settlement app:
# - django-q2 schedules and tasks that name a function of ``counter.tasks_settlement`` (the
#   daily ``settlement-statements`` run; a failed task can be resubmitted from the admin)
#   point at ``settlement.tasks``;
# - the content types of the moved models change app label, so their permissions (the
#   municipality role's view permissions), group assignments and admin history follow.
# Reversible: migrating back restores the old paths and labels.
from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

OLD_TASKS = "counter.tasks_settlement."
NEW_TASKS = "settlement.tasks."
MOVED_MODELS = [
    "settlementagreement",
    "settlementline",
    "settlementpayment",
    "settlementperiod",
    "settlementtariff",
    "statement",
    "statementdelivery",
    "statementnumbersequence",
]


def _paths_rewrite(apps, old: str, new: str) -> None:
    for model_name in ("Schedule", "Task"):
        model = apps.get_model("django_q", model_name)
        for field in ("func", "hook"):
            model.objects.filter(**{f"{field}__startswith": old}).update(
                **{field: Concat(Value(new), Substr(field, len(old) + 1))}
            )


def _content_types_move(apps, old_label: str, new_label: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        if content_type.objects.filter(app_label=new_label, model=model).exists():
            continue  # already there (left alone; the old one is stale)
        content_type.objects.filter(app_label=old_label, model=model).update(app_label=new_label)


def forwards(apps, schema_editor):
    _paths_rewrite(apps, OLD_TASKS, NEW_TASKS)
    _content_types_move(apps, "counter", "settlement")


def backwards(apps, schema_editor):
    _paths_rewrite(apps, NEW_TASKS, OLD_TASKS)
    _content_types_move(apps, "settlement", "counter")


class Migration(migrations.Migration):
    dependencies = [
        ("settlement", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
