"""Calling the homeserver: every response checked, rate limits waited out, errors as values.

matrix-nio returns errors instead of raising them. `call` turns an unexpected response into
one `MatrixError`, after waiting out `M_LIMIT_EXCEEDED` as long as the server asks
(`retry_after_ms`): the client is configured not to retry by itself, so that the waiting
happens here and in the outbox, where it can be seen and bounded.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from nio import ErrorResponse

log = logging.getLogger(__name__)

T = TypeVar("T")

# When the server says "too many requests" without saying how long to wait.
DEFAULT_RETRY_AFTER = 1.0
# A call still refused after this many waits is given up (messages are kept by the outbox).
MAX_RATE_LIMIT_WAITS = 30


class MatrixError(Exception):
    """The homeserver refused or failed a request."""

    def __init__(self, what: str, response: object) -> None:
        self.what = what
        self.errcode: str | None = getattr(response, "status_code", None)
        self.http_status: int | None = http_status(response)
        message = getattr(response, "message", None) or type(response).__name__
        super().__init__(f"{what}: {self.errcode or self.http_status or ''} {message}".strip())

    @property
    def transient(self) -> bool:
        """Worth trying again later: the server or the network failed, not the request."""
        return self.http_status is None or self.http_status >= 500 or self.rate_limited

    @property
    def rate_limited(self) -> bool:
        return self.errcode == "M_LIMIT_EXCEEDED" or self.http_status == 429


def http_status(response: object) -> int | None:
    transport = getattr(response, "transport_response", None)
    status = getattr(transport, "status", None)
    return status if isinstance(status, int) else None


def is_rate_limited(response: object) -> bool:
    return isinstance(response, ErrorResponse) and (
        response.status_code == "M_LIMIT_EXCEEDED" or http_status(response) == 429
    )


def retry_after(response: object) -> float:
    milliseconds = getattr(response, "retry_after_ms", None)
    if isinstance(milliseconds, int | float) and milliseconds > 0:
        return float(milliseconds) / 1000
    return DEFAULT_RETRY_AFTER


async def call(what: str, request: Callable[[], Awaitable[Any]], expected: type[T]) -> T:
    """Run a nio request until it succeeds or fails for a reason other than rate limiting."""
    for _attempt in range(MAX_RATE_LIMIT_WAITS):
        response = await request()
        if isinstance(response, expected):
            return response
        if not is_rate_limited(response):
            raise MatrixError(what, response)
        wait = retry_after(response)
        log.info("%s: rate limited, waiting %.2fs as the homeserver asks", what, wait)
        await asyncio.sleep(wait)
    raise MatrixError(what, response)
