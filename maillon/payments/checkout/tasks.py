"""A provider notification's order, read and recorded in the background."""

from maillon.associations.tasks import association_task


@association_task()
def sync_order(association, *, order_id: str) -> int:
    from .services import order_sync

    return len(order_sync(association=association, order_id=order_id))
