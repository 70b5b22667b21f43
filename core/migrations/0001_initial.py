# The audit log and Idempotency-Key tables were created by scheduling's first migration;
# core takes them over in the state only (the tables keep their names).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("scheduling", "0008_audit_idempotency_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AuditLogEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="at")),
                        ("actor_label", models.CharField(help_text="User name or system.", max_length=150, verbose_name="actor")),
                        ("action", models.CharField(db_index=True, max_length=60, verbose_name="action")),
                        ("object_type", models.CharField(max_length=60, verbose_name="object type")),
                        ("object_id", models.CharField(db_index=True, max_length=40, verbose_name="object id")),
                        ("reason", models.CharField(blank=True, max_length=200, verbose_name="reason")),
                        ("data", models.JSONField(blank=True, default=dict, verbose_name="details")),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "audit log entry",
                        "verbose_name_plural": "audit log",
                        "db_table": "scheduling_auditlogentry",
                        "ordering": ["-at", "-pk"],
                        "indexes": [models.Index(fields=["object_type", "object_id"], name="scheduling__object__d7b916_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("scope", models.CharField(max_length=60)),
                        ("key", models.CharField(max_length=100)),
                        ("request_fingerprint", models.CharField(max_length=64)),
                        ("status_code", models.PositiveSmallIntegerField()),
                        ("body", models.JSONField(default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "scheduling_idempotencyrecord",
                        "constraints": [models.UniqueConstraint(fields=("scope", "user", "key"), name="idempotency_unique_key")],
                    },
                ),
            ],
        )
    ]
