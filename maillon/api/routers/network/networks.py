"""A network's back-office through the API, with the pages' rules: the caller must be
on the network's team (404 otherwise, like ``/n/<slug>/``), and sees of each member
association its directory card and only the indicators it consents to share."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Query, Router

from maillon.events.selectors import network_campaigns_across_associations
from maillon.network.backoffice.selectors import measure_rows, member_rows
from maillon.network.networks.selectors import my_network_role, network_by_slug

from ...errors import READ_ERRORS
from ...schemas.common import PageQuery, page_fields
from ...schemas.network import NetworkCampaignOut, NetworkMemberOut, NetworkMemberPageOut

router = Router(tags=["networks"])


def network_endpoint(*roles: str):
    """Decorator for operations with a ``network_slug`` path parameter: an unknown
    network or a caller off its team answers 404; a role not in ``roles`` 403."""

    def decorator(func):
        @wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs):
            network = network_by_slug(kwargs["network_slug"])
            role = my_network_role(network=network, user=request.user) if network else None
            if role is None:
                raise Http404
            if roles and role not in roles:
                raise PermissionDenied
            request.network = network
            request.network_role = role
            return func(request, *args, **kwargs)

        wrapper.network_scoped = True
        return wrapper

    return decorator


@router.get(
    "/networks/{network_slug}/members",
    response={200: NetworkMemberPageOut, **READ_ERRORS},
    operation_id="network_members",
    summary="Member associations of a network",
    description="The network's active member associations, by name, with the indicators "
    "each one shares (`values` holds only the shared families' metrics). For the "
    "network's team.",
)
@network_endpoint()
def network_members(request: HttpRequest, network_slug: str, filters: Query[PageQuery]):
    rows = member_rows(network=request.network)
    start = (filters.page - 1) * filters.page_size
    page = measure_rows(rows[start : start + filters.page_size])
    items = []
    for row in page:
        a = row.association
        items.append(
            NetworkMemberOut(
                slug=a.slug,
                name=a.name,
                city=a.city,
                department=a.department.code if a.department_id else None,
                size_band=a.size_band,
                sector=a.sector.code if a.sector_id else None,
                shared=row.shared,
                values=row.values,
                level=row.level,
            )
        )
    return NetworkMemberPageOut(
        **page_fields(count=len(rows), page=filters.page, page_size=filters.page_size),
        items=items,
    )


@router.get(
    "/networks/{network_slug}/campaigns",
    response={200: list[NetworkCampaignOut], **READ_ERRORS},
    operation_id="network_campaigns",
    summary="Campaigns of a network",
    description="The campaigns the network runs, with their participation.",
)
@network_endpoint()
def network_campaigns(request: HttpRequest, network_slug: str):
    return [
        NetworkCampaignOut(
            id=c.pk,
            slug=c.slug,
            title=c.title,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            events=c.event_count,
            associations=c.association_count,
        )
        for c in network_campaigns_across_associations(network=request.network)
    ]
