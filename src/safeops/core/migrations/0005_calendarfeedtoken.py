"""Calendar feed tokens move from drills to core: the table is renamed, every row kept.

The state gains core.CalendarFeedToken here and drops drills.CalendarFeedToken in drills 0002;
the database only renames drills_calendarfeedtoken to core_calendarfeedtoken, so the digests
(and with them every feed URL already handed out) stay as they are.
"""

from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_TABLE = "drills_calendarfeedtoken"
NEW_TABLE = "core_calendarfeedtoken"


def rename_table(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("drills", "CalendarFeedToken")
    schema_editor.alter_db_table(model, OLD_TABLE, NEW_TABLE)


def rename_table_back(apps: Any, schema_editor: Any) -> None:
    model = apps.get_model("drills", "CalendarFeedToken")
    schema_editor.alter_db_table(model, NEW_TABLE, OLD_TABLE)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_job_retry_schedule_heartbeat"),
        ("drills", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(rename_table, rename_table_back)],
            state_operations=[
                migrations.CreateModel(
                    name="CalendarFeedToken",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("digest", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="calendar_feed_token", to=settings.AUTH_USER_MODEL)),
                    ],
                ),
            ],
        ),
    ]
