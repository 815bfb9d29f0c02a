"""Structured logs: one JSON object per line, each carrying the id of the request it was written for.

`RequestIdMiddleware` (first in MIDDLEWARE) takes the caller's `X-Request-ID` when it is a short, plain token
(a proxy or load balancer in front of Haven usually sets one), makes a new one otherwise, keeps it for the
request's log records and sends it back in the response's `X-Request-ID`. `RequestIdFilter` puts it on every
record; `JsonFormatter` writes the record as one line. Settings' LOGGING wires them to the console (stderr), which
gunicorn or systemd collect. No model is imported here: logging is configured before the apps are loaded."""
from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

HEADER = "X-Request-ID"
# What a caller may choose as request id: letters, digits and - _ . : up to 64 characters (no spaces, quotes or
# control characters that would end a log line or forge a field).
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("haven_request_id", default="")
access_log = logging.getLogger("haven.request")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        request_id = offered if ACCEPTED_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            access_log.info("%s %s %s", request.method, request.path, response.status_code, extra={
                "method": request.method, "path": request.path, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Django's own request lines (django.request: 4xx and 5xx) are written after the middleware has returned;
        # they carry the request itself.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", "") or current_request_id()
        return True


# Attributes every LogRecord has; whatever else a record carries came from `extra=` and is written as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id(),
        }
        line.update({key: value for key, value in vars(record).items()
                     if key not in _STANDARD and not key.startswith("_") and _is_plain(value)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _is_plain(value) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None
