"""drills.CalendarFeedToken leaves the state: its table and rows now belong to core (core 0005)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("drills", "0001_initial"),
        ("core", "0005_calendarfeedtoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="CalendarFeedToken")],
        ),
    ]
