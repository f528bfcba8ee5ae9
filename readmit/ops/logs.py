"""Log lines as one JSON object each (production) or as text (development).

``READMIT_LOG_FORMAT=json|text`` chooses; ``config.settings.production`` defaults to json.
Every line carries the request id (``readmit.ops.requestid``) when written during a request.
A small ``logging.Formatter`` is enough here: no dependency (docs/adr/0013).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

# Attributes every LogRecord has; anything else was passed as ``extra`` and is kept.
_STANDARD = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None)).keys()
    | {"message", "asctime", "request_id", "taskName"}
)


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", "request_id", ...extra, "exc_info"?}``."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                document[key] = value
        if record.exc_info:
            document["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(document, default=str, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """The ``LOGGING`` setting for a format (``json`` or ``text``) and a root level."""
    if log_format not in {"json", "text"}:
        raise ValueError(f"READMIT_LOG_FORMAT must be 'json' or 'text', not {log_format!r}")
    formatter: dict[str, Any] = (
        {"()": "readmit.ops.logs.JsonFormatter"}
        if log_format == "json"
        else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "readmit.ops.requestid.RequestIdFilter"}},
        "formatters": {"readmit": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "readmit",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
    }
