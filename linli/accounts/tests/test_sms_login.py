"""SMS-code login as a resident experiences it: codes arrive, expire, are rate-limited and locked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from linli.accounts.errors import AccountsError
from linli.accounts.models import SmsCode
from linli.accounts.services import phone_normalize, sms_code_send, sms_login

pytestmark = pytest.mark.django_db


def last_code(outbox: list[tuple[str, str]]) -> str:
    match = re.search(r"\b(\d{6})\b", outbox[-1][1])
    assert match, outbox[-1]
    return match.group(1)


def test_code_arrives_and_logs_in(rosa, sms_outbox):
    sms_code_send(phone="+86 138-0000-0001")
    assert sms_outbox[-1][0] == "13800000001"
    assert "验证码" in sms_outbox[-1][1]
    assert sms_login(phone="13800000001", code=last_code(sms_outbox)) == rosa


def test_code_is_single_use(rosa, sms_outbox):
    sms_code_send(phone="13800000001")
    code = last_code(sms_outbox)
    sms_login(phone="13800000001", code=code)
    with pytest.raises(AccountsError) as e:
        sms_login(phone="13800000001", code=code)
    assert e.value.spec.code == "sms_code_wrong"


def test_code_expires_after_five_minutes(rosa, sms_outbox):
    sms_code_send(phone="13800000001")
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(AccountsError) as e:
        sms_login(phone="13800000001", code=last_code(sms_outbox))
    assert e.value.spec.code == "sms_code_expired"


def test_unknown_phone_gets_a_clear_error(db):
    with pytest.raises(AccountsError) as e:
        sms_code_send(phone="13912345678")
    assert e.value.spec.code == "phone_unknown"
    assert e.value.message("zh-hans") == "该手机号尚未注册"
    assert "No account" in e.value.message("en")


@pytest.mark.parametrize("bad", ["12345", "23800000001", "1380000000a", "", "138000000012"])
def test_malformed_phone_rejected(bad):
    with pytest.raises(AccountsError) as e:
        phone_normalize(bad)
    assert e.value.spec.code == "phone_invalid"


def test_at_most_five_sends_per_hour(rosa, sms_outbox):
    for _ in range(5):
        sms_code_send(phone="13800000001")
    with pytest.raises(AccountsError) as e:
        sms_code_send(phone="13800000001")
    assert e.value.spec.code == "sms_too_many"
    assert len(sms_outbox) == 5
    # An hour later the window has moved on.
    SmsCode.objects.update(created_at=timezone.now() - timedelta(hours=1, seconds=1))
    sms_code_send(phone="13800000001")
    assert len(sms_outbox) == 6


def test_five_wrong_tries_lock_out_even_the_right_code(rosa, sms_outbox):
    sms_code_send(phone="13800000001")
    right = last_code(sms_outbox)
    wrong = "000000" if right != "000000" else "111111"
    lefts = []
    for _ in range(4):
        with pytest.raises(AccountsError) as e:
            sms_login(phone="13800000001", code=wrong)
        lefts.append(e.value.params["left"])
    assert lefts == [4, 3, 2, 1]
    with pytest.raises(AccountsError) as e:
        sms_login(phone="13800000001", code=wrong)
    assert e.value.spec.code == "locked_out"
    with pytest.raises(AccountsError) as e:
        sms_login(phone="13800000001", code=right)
    assert e.value.spec.code == "locked_out"
    with pytest.raises(AccountsError) as e:
        sms_code_send(phone="13800000001")
    assert e.value.spec.code == "locked_out"
