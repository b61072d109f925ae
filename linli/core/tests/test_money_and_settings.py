from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from linli.core.money import format_fen, parse_yuan

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("fen", "text"), [(0, "¥0.00"), (5, "¥0.05"), (123456, "¥1,234.56"), (-250, "-¥2.50")]
)
def test_format_fen(fen, text):
    assert format_fen(fen) == text


@pytest.mark.parametrize(
    ("text", "fen"), [("12", 1200), ("12.5", 1250), ("¥0.05", 5), ("￥ 3.10", 310)]
)
def test_parse_yuan(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("bad", ["1.234", "abc", "", "1e3", "12,00"])
def test_parse_yuan_rejects(bad):
    with pytest.raises(ValueError):
        parse_yuan(bad)


def _settings_exit(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            "'config.settings'; django.setup()",
        ],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_to_start_without_a_real_secret_when_debug_is_off():
    r = _settings_exit({"DJANGO_DEBUG": "False"})
    assert r.returncode != 0
    assert "DJANGO_SECRET_KEY" in r.stderr


def test_starts_with_a_real_secret():
    r = _settings_exit({"DJANGO_DEBUG": "False", "DJANGO_SECRET_KEY": "x" * 50})
    assert r.returncode == 0, r.stderr


def test_rejects_a_vague_boolean():
    r = _settings_exit({"DJANGO_DEBUG": "yes"})
    assert r.returncode != 0 and "DJANGO_DEBUG" in r.stderr
