from celery import shared_task

from linli.lockers.services import (
    bookings_release_expired,
    bookings_return_overdue,
    parcels_remind,
    parcels_return_overdue,
)


@shared_task(name="lockers.sweep")
def sweep() -> dict[str, int]:
    """Every 10 minutes (beat): release lapsed claims, send back goods kept too long."""
    return {
        "released": bookings_release_expired(),
        "sent_back": bookings_return_overdue(),
    }


@shared_task(name="lockers.station_daily")
def station_daily() -> dict[str, int]:
    """Every morning at 09:00 (never at night): remind about waiting parcels, return old ones."""
    return {"returned": parcels_return_overdue(), "reminded": parcels_remind()}
