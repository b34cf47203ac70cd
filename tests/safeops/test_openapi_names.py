"""The OpenAPI document names each schema once: no two schema classes share a component name,
and each component has the fields of the class it is named after."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.test import Client
from ninja import Schema

import safeops.api  # noqa: F401 - every router and its schemas are loaded


def _safeops_schemas() -> list[type[Schema]]:
    found: list[type[Schema]] = []
    pending = list(Schema.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.startswith("safeops."):
            found.append(cls)
    return found


def test_no_two_schema_classes_share_a_name() -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _safeops_schemas():
        by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(paths) for name, paths in by_name.items() if len(paths) > 1}
    assert shared == {}


@pytest.mark.django_db
def test_each_component_has_the_fields_of_its_class() -> None:
    components = Client().get("/api/openapi.json").json()["components"]["schemas"]
    classes = {cls.__name__: cls for cls in _safeops_schemas()}
    documented = set(components) & set(classes)
    assert {"ErrorOut", "DispatchEventOut", "TipEventOut", "DirectoryCategoryOut"} <= documented
    for name in documented:
        fields = {f.alias or key for key, f in classes[name].model_fields.items()}
        assert set(components[name].get("properties", {})) == fields, name
