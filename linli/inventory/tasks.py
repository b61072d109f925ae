"""Jobs: release claims whose hold ran out, write off expired lots, daily stock alerts."""

from __future__ import annotations

from celery import shared_task

from linli.inventory import services


@shared_task(name="inventory.tasks.release_expired_claims")
def release_expired_claims() -> int:
    return services.stock_claims_expire()


@shared_task(name="inventory.tasks.expire_lots")
def expire_lots() -> int:
    return services.lots_expire()


@shared_task(name="inventory.tasks.stock_alerts")
def stock_alerts() -> int:
    """Daily: lots expiring within 3 days and products running low, per outlet."""
    from linli.inventory.alerts import stock_alerts_daily

    return stock_alerts_daily()
