"""Filter, sort and paginate a list a page shows: one small helper every long list shares.

A view describes its filters (a name, a label, the choices and how an item matches one) and its
sorts (a name, a label and a key), then calls `listing_from(request.GET, items, ...)`. The result
carries the current page of items, the filters and sort as chosen (for the template's form,
`core/_listing_form.html`) and the query string that keeps them on the pager's links
(`core/_pager.html`). Unknown or stale parameters are ignored, never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext

T = TypeVar("T")
PER_PAGE = 25


@dataclass(frozen=True)
class Filter(Generic[T]):
    name: str  # the query parameter
    label: str
    choices: Sequence[tuple[str, str]]  # (value, label); the empty value means "all"
    test: Callable[[T, str], bool]
    all_label: str = ""


def person_role_filter(roles: Iterable[tuple[str, Any]]) -> Filter[Any]:
    """Filter rows that carry a `person` by the person's role (`roles`: value and label); built per
    request, in its language."""
    return Filter(
        "role",
        gettext("Role"),
        [(value, str(label)) for value, label in roles],
        lambda row, value: row.person.role == value,
        gettext("All roles"),
    )


@dataclass(frozen=True)
class Sort(Generic[T]):
    name: str
    label: str
    key: Callable[[T], Any]
    reverse: bool = False


@dataclass(frozen=True)
class ChosenFilter:
    name: str
    label: str
    choices: Sequence[tuple[str, str]]
    value: str
    all_label: str


@dataclass(frozen=True)
class Listing(Generic[T]):
    page: Page[T]
    matched: list[T]  # every item the filters let through, in order (for a map or a chart)
    total: int  # before filtering
    filters: list[ChosenFilter]
    sorts: list[tuple[str, str]]
    sort: str
    query: str  # the chosen filters and sort, to keep on the pager's links
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def items(self) -> list[T]:
        return list(self.page.object_list)


def listing_from(
    params: QueryDict,
    items: Iterable[T],
    *,
    filters: Sequence[Filter[T]] = (),
    sorts: Sequence[Sort[T]] = (),
    per_page: int = PER_PAGE,
    keep: Sequence[str] = (),
) -> Listing[T]:
    """The page of `items` the request asks for. The first sort is the default (the order the
    items come in when there is none). `keep` names other parameters the page's form sends
    (a date, a search text) so the pager's links keep them."""
    rows = list(items)
    total = len(rows)
    chosen: list[ChosenFilter] = []
    state: dict[str, str] = {name: str(params.get(name)) for name in keep if params.get(name)}
    for f in filters:
        value = params.get(f.name, "")
        if value not in {v for v, _ in f.choices}:
            value = ""
        chosen.append(ChosenFilter(f.name, f.label, f.choices, value, f.all_label))
        if value:
            rows = [row for row in rows if f.test(row, value)]
            state[f.name] = value
    sort = next((s for s in sorts if s.name == params.get("sort")), sorts[0] if sorts else None)
    if sort is not None:
        rows.sort(key=sort.key, reverse=sort.reverse)
        if sorts and sort is not sorts[0]:
            state["sort"] = sort.name
    page = Paginator(rows, per_page).get_page(params.get("page"))
    return Listing(
        page=page,
        matched=rows,
        total=total,
        filters=chosen,
        sorts=[(s.name, s.label) for s in sorts],
        sort=sort.name if sort else "",
        query=urlencode(state),
        extra=state,
    )
