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
