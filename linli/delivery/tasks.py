from celery import shared_task

from linli.delivery.services.planning import planning_execute


@shared_task(name="delivery.plan_wave")
def plan_wave(run_id: int) -> dict[str, object]:
    """Plan one wave (community × day); progress is written to the PlanningRun row."""
    run = planning_execute(run_id=run_id)
    return {
        "run": run.pk,
        "status": run.status,
        "routes": run.routes.count(),
        "unplanned": len(run.unplanned),
        "seconds": run.plan_seconds,
    }


@shared_task(name="delivery.slots_daily")
def slots_daily() -> int:
    """Every night (beat): the next days' home slots and the group-buy day for every community
    with a hub."""
    from datetime import timedelta

    from django.utils import timezone

    from linli.community.models import Community
    from linli.delivery.services import group_buy_slot_ensure, slots_ensure

    n = 0
    today = timezone.localdate()
    for community in Community.objects.filter(hubs__active=True).distinct():
        for i in range(3):
            n += len(slots_ensure(community=community, day=today + timedelta(days=i)))
        n += group_buy_slot_ensure(community=community) is not None
    return n
