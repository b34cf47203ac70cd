"""How the access module reads directory records (rules: resources/rules.py).

Directory data is not sensitive: reach is ALL or NONE, so no ASSIGNED scope is needed.
"""

from __future__ import annotations

from safeops.access import Resource, no_scope, register_resource
from safeops.resources import models

HSDS_MODELS = (
    models.Taxonomy,
    models.TaxonomyTerm,
    models.Organization,
    models.Program,
    models.Service,
    models.Location,
    models.ServiceAtLocation,
    models.Address,
    models.Contact,
    models.Phone,
    models.Schedule,
    models.Language,
    models.ServiceArea,
    models.CostOption,
    models.Funding,
    models.RequiredDocument,
    models.Accessibility,
    models.OrganizationIdentifier,
    models.Url,
    models.Attribute,
    models.Unit,
    models.ServiceCapacity,
    models.MetaTableDescription,
    models.Metadata,
)


def register_resource_models() -> None:
    for model in HSDS_MODELS:
        register_resource(model, Resource.RESOURCE_DIRECTORY, scope=no_scope)
    register_resource(models.VerificationTask, Resource.RESOURCE_DIRECTORY, scope=no_scope)
