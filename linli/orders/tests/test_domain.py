from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linli.orders.domain import (
    FINAL,
    Actor,
    Status,
    TransitionError,
    can,
    next_moves,
    transition,
)


def test_happy_path_for_store_pickup():
    path = [
        (Status.PLACED, Status.PAID, Actor.SYSTEM),
        (Status.PAID, Status.ACCEPTED, Actor.SHOP),
        (Status.ACCEPTED, Status.READY, Actor.SHOP),
        (Status.READY, Status.PICKED_UP, Actor.SHOP),
        (Status.PICKED_UP, Status.COMPLETED, Actor.RESIDENT),
    ]
    status = Status.PLACED
    for source, target, actor in path:
        assert status == source
        status = transition(source, target, actor)
    assert status == Status.COMPLETED


def test_resident_cannot_pay_by_saying_so():
    with pytest.raises(TransitionError):
        transition(Status.PLACED, Status.PAID, Actor.RESIDENT)


def test_resident_cannot_cancel_once_the_shop_accepted():
    assert not can(Status.ACCEPTED, Status.CANCELLED, Actor.RESIDENT)
    assert can(Status.PAID, Status.CANCELLED, Actor.RESIDENT)


def test_final_states_have_no_way_out():
    for state, actor in itertools.product(FINAL, Actor):
        assert next_moves(state, actor) == []


def test_shop_buttons_follow_the_table():
    assert next_moves(Status.PAID, Actor.SHOP) == [Status.ACCEPTED, Status.CANCELLED]
    assert next_moves(Status.READY, Actor.SHOP) == [Status.PICKED_UP, Status.CANCELLED]


@given(st.lists(st.tuples(st.sampled_from(Status), st.sampled_from(Actor)), max_size=30))
def test_no_sequence_reaches_picked_up_without_ready(steps):
    status, seen_ready = Status.PLACED, False
    for target, actor in steps:
        if can(status, target, actor):
            status = transition(status, target, actor)
            seen_ready |= status == Status.READY
            if status == Status.PICKED_UP:
                assert seen_ready
