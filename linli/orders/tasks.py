from celery import shared_task

from linli.orders.services import orders_expire_unpaid


@shared_task(name="orders.expire_unpaid")
def expire_unpaid() -> int:
    """Every minute (beat): cancel unpaid orders past their deadline and free their stock."""
    return orders_expire_unpaid()
