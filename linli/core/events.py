"""In-process publish/subscribe for the few upward notifications (an order was paid → delivery plans it).

Events are frozen dataclasses defined by the publisher. Subscribers register handlers in their
AppConfig.ready(). Handlers run after the surrounding transaction commits, never inside it, so a
rolled-back write never notifies anyone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

Handler = Callable[[Any], None]
_handlers: dict[type, list[Handler]] = defaultdict(list)


def subscribe(event_type: type, handler: Handler) -> None:
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event: object) -> None:
    """Call every handler of the event's type once the current transaction commits."""
    for handler in list(_handlers[type(event)]):
        transaction.on_commit(_bind(handler, event))


def _bind(handler: Handler, event: object) -> Callable[[], None]:
    def call() -> None:
        handler(event)

    return call
