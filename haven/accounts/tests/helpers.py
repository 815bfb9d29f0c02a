"""Helpers shared by the accounts tests."""
from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def current_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A well-formed code that is none of the codes accepted right now (tolerance ±1 step)."""
    device.refresh_from_db()
    accepted = set()
    for offset in (-1, 0, 1):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time() + offset * device.step
        accepted.add(f"{totp.token():06d}")
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in accepted)
