"""Reads of the resource directory. Directory data is not sensitive: no read audit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from safeops.resources.categories import SAFEOPS_TAXONOMY_ID
from safeops.resources.models import Attribute, Service, TaxonomyTerm


def service_category_codes(*, service_ids: Iterable[int]) -> dict[int, set[str]]:
    """Each service's safeops category codes (`Category` values), by service primary key.

    A category is an HSDS attribute linking the service to a term of the safeops taxonomy.
    Services without a category map to an empty set.
    """
    ids = list(service_ids)
    hsds_by_pk = dict(Service.objects.filter(pk__in=ids).values_list("pk", "hsds_id"))
    result: dict[int, set[str]] = {pk: set() for pk in hsds_by_pk}
    codes_by_term = dict(
        TaxonomyTerm.objects.filter(taxonomy_id=SAFEOPS_TAXONOMY_ID).values_list("hsds_id", "code")
    )
    links = Attribute.objects.filter(
        link_entity="service",
        link_id__in=hsds_by_pk.values(),
        taxonomy_term_id__in=codes_by_term.keys(),
    ).values_list("link_id", "taxonomy_term_id")
    by_hsds: dict[str, set[str]] = defaultdict(set)
    for link_id, term_id in links:
        by_hsds[link_id].add(codes_by_term[term_id])
    for pk, hsds_id in hsds_by_pk.items():
        result[pk] = by_hsds.get(hsds_id, set())
    return result
