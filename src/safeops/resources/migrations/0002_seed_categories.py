"""Seed the safeops category taxonomy (HSDS taxonomy + terms with fixed ids)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from safeops.resources.categories import category_taxonomy_seed

    category_taxonomy_seed(
        apps.get_model("resources", "Taxonomy"), apps.get_model("resources", "TaxonomyTerm")
    )


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
