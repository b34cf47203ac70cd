"""Template filters for the training pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def files_of(files: dict[tuple[str, int], list[Any]], kind: str) -> dict[int, list[Any]]:
    """The certificate files of one kind of record, by record id."""
    return {record_id: items for (k, record_id), items in files.items() if k == kind}


@register.filter
def files_for(files: dict[int, list[Any]], record_id: int) -> list[Any]:
    return files.get(record_id, [])
