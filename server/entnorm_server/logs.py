"""structlog set up once: readable console lines, or JSON for log shippers.

Exceptions are logged with their traceback, plain in the console and as a structured list in
JSON; never with local variables, which would dump whole snapshots into the log.
"""

from __future__ import annotations

import logging
import sys

import structlog
import structlog.tracebacks


def configure(log_format: str = "console") -> None:
    processors: list[structlog.typing.Processor] = [
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    if log_format == "json":
        processors += [
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ]
    else:
        processors.append(
            structlog.dev.ConsoleRenderer(
                colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback
            )
        )
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        # One write per line: lines of several serving processes never run together.
        logger_factory=structlog.WriteLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )


def ensure_configured() -> None:
    """Configure for the console unless the program already chose (tests, embedding)."""
    if not structlog.is_configured():
        configure()


def get_logger(name: str) -> structlog.typing.FilteringBoundLogger:
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(name)
    return logger
