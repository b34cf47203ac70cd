"""The seeded category taxonomy and the category selector other apps use."""

from __future__ import annotations

import pytest

from safeops.resources.categories import (
    DISTRICT_CATEGORIES,
    PLAN_CATEGORIES,
    SAFEOPS_TAXONOMY_ID,
    Category,
    category_term_id,
)
from safeops.resources.models import Attribute, Service, Taxonomy, TaxonomyTerm
from safeops.resources.selectors import service_category_codes
from safeops.resources.services import directory_service_create, service_set_categories

pytestmark = pytest.mark.django_db


def make_service(categories: list[str], name: str = "Harbor House") -> Service:
    return directory_service_create(
        organization_name=f"{name} Inc.",
        service_name=name,
        categories=categories,
        latitude=38.2,
        longitude=-85.7,
        address_1="1 Main St",
        city="Louisville",
        state_province="KY",
        postal_code="40202",
        actor="system:test",
    )


def test_the_taxonomy_is_seeded_with_one_term_per_category() -> None:
    assert Taxonomy.objects.filter(hsds_id=SAFEOPS_TAXONOMY_ID).exists()
    terms = TaxonomyTerm.objects.filter(taxonomy_id=SAFEOPS_TAXONOMY_ID)
    assert sorted(terms.values_list("code", flat=True)) == sorted(Category.values)
    assert len(PLAN_CATEGORIES) == 6
    assert len(DISTRICT_CATEGORIES) == 3
    shelter = TaxonomyTerm.objects.get(hsds_id=category_term_id("shelter"))
    assert shelter.name == "Shelters"


def test_service_category_codes_reads_the_attributes() -> None:
    shelter = make_service([Category.SHELTER, Category.DOMESTIC_VIOLENCE])
    clinic = make_service([Category.MENTAL_HEALTH], name="Clinic")
    bare = make_service([], name="Bare")
    codes = service_category_codes(service_ids=[shelter.pk, clinic.pk, bare.pk])
    assert codes == {
        shelter.pk: {"shelter", "domestic_violence"},
        clinic.pk: {"mental_health"},
        bare.pk: set(),
    }


def test_set_categories_replaces_the_set() -> None:
    service = make_service([Category.SHELTER])
    service_set_categories(service=service, codes=["family_counseling"], actor="system:test")
    assert service_category_codes(service_ids=[service.pk]) == {service.pk: {"family_counseling"}}
    assert Attribute.objects.filter(link_id=service.hsds_id).count() == 1
