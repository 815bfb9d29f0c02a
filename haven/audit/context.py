"""Who and where a request comes from, for audit rows written deep in services.

Services take the acting user explicitly; the request address is ambient
because the same services run from the command line where there is none.
"""
from __future__ import annotations

import contextvars

_ip: contextvars.ContextVar[str] = contextvars.ContextVar("haven_audit_ip", default="")


def set_request_ip(ip: str) -> contextvars.Token:
    return _ip.set(ip)


def reset_request_ip(token: contextvars.Token) -> None:
    _ip.reset(token)


def request_ip() -> str:
    return _ip.get()
