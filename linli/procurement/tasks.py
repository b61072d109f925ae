"""Jobs: close joint rounds whose deadline has passed."""

from __future__ import annotations

from celery import shared_task

from linli.procurement import services


@shared_task(name="procurement.tasks.close_due_rounds")
def close_due_rounds() -> int:
    return services.rounds_close_due()
