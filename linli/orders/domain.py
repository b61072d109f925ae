"""The order state machine (pure): every status change in linli goes through `transition`.

placed → paid → accepted → ready → picked_up → completed, with cancel paths; a paid order that is
cancelled ends `refunded` once the money is back. Who may make each move is part of the table, so
a resident can never mark an order ready and a shop can never confirm its own pickup without the
code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PLACED = "placed"
    PAID = "paid"
    ACCEPTED = "accepted"
    READY = "ready"
    PICKED_UP = "picked_up"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class Actor(StrEnum):
    RESIDENT = "resident"
    SHOP = "shop"
    SYSTEM = "system"  # payment notifications, timeouts, jobs


@dataclass(frozen=True)
class Move:
    source: Status
    target: Status
    actors: frozenset[Actor]


def _m(source: Status, target: Status, *actors: Actor) -> Move:
    return Move(source, target, frozenset(actors))


S, A = Status, Actor
MOVES: tuple[Move, ...] = (
    _m(S.PLACED, S.PAID, A.SYSTEM),
    _m(S.PLACED, S.CANCELLED, A.RESIDENT, A.SYSTEM),
    _m(S.PAID, S.ACCEPTED, A.SHOP),
    _m(S.PAID, S.CANCELLED, A.RESIDENT, A.SHOP, A.SYSTEM),
    _m(S.ACCEPTED, S.READY, A.SHOP),
    _m(S.ACCEPTED, S.CANCELLED, A.SHOP, A.SYSTEM),
    _m(S.READY, S.PICKED_UP, A.SHOP),
    _m(S.READY, S.CANCELLED, A.SHOP, A.SYSTEM),
    _m(S.PICKED_UP, S.COMPLETED, A.RESIDENT, A.SYSTEM),
    _m(S.CANCELLED, S.REFUNDED, A.SYSTEM),
)
_TABLE: dict[tuple[Status, Status], Move] = {(m.source, m.target): m for m in MOVES}

# States whose goods are still held for the resident (stock claimed, not yet handed over).
HOLDING = frozenset({S.PLACED, S.PAID, S.ACCEPTED, S.READY})
# States in which money has been taken and not given back.
PAID_STATES = frozenset({S.PAID, S.ACCEPTED, S.READY, S.PICKED_UP, S.COMPLETED})
FINAL = frozenset({S.COMPLETED, S.REFUNDED})


class TransitionError(Exception):
    def __init__(self, source: Status, target: Status, actor: Actor) -> None:
        self.source, self.target, self.actor = source, target, actor
        super().__init__(f"{actor} cannot move an order from {source} to {target}")


def can(source: Status, target: Status, actor: Actor) -> bool:
    move = _TABLE.get((source, target))
    return move is not None and actor in move.actors


def transition(source: Status, target: Status, actor: Actor) -> Status:
    """Return the new status or raise TransitionError; the single gate for status changes."""
    if not can(source, target, actor):
        raise TransitionError(source, target, actor)
    return target


def next_moves(source: Status, actor: Actor) -> list[Status]:
    """What this actor may do next: drives the buttons on the order pages."""
    return [m.target for m in MOVES if m.source == source and actor in m.actors]
