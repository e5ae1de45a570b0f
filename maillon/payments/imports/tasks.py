"""The periodic pull of HelloAsso orders, per association."""

from maillon.associations.tasks import association_task


@association_task()
def pull_helloasso_orders(association) -> dict:
    from .services import helloasso_orders_pull

    return helloasso_orders_pull(association=association)
