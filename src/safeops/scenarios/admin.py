"""Admin: scenarios are read-only (created, run and adopted through the planning pages)."""

from django.contrib import admin

from safeops.access.admin_site import ScopedModelAdmin
from safeops.scenarios.models import Scenario


@admin.register(Scenario)
class ScenarioAdmin(ScopedModelAdmin):
    list_display = (
        "name",
        "status",
        "officers",
        "target_minutes",
        "created_at",
        "adopted_effective_on",
    )
    list_filter = ("status",)
