"""Seed the safeops category taxonomy (HSDS taxonomy + terms with fixed ids)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from safeops.resources.categories import (
        CATEGORY_DESCRIPTIONS,
        SAFEOPS_TAXONOMY_ID,
        SAFEOPS_TAXONOMY_NAME,
        Category,
        category_term_id,
    )

    taxonomy_model = apps.get_model("resources", "Taxonomy")
    term_model = apps.get_model("resources", "TaxonomyTerm")
    taxonomy_model.objects.update_or_create(
        hsds_id=SAFEOPS_TAXONOMY_ID,
        defaults={
            "name": SAFEOPS_TAXONOMY_NAME,
            "description": "The district safety plan's support categories and district supports.",
            "version": "1",
        },
    )
    for category in Category:
        term_model.objects.update_or_create(
            hsds_id=category_term_id(category.value),
            defaults={
                "code": category.value,
                "name": str(category.label),
                "description": CATEGORY_DESCRIPTIONS[category],
                "taxonomy_id": SAFEOPS_TAXONOMY_ID,
                "language": "en",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
