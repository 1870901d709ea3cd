"""Files: a reply's attachment goes to the media repository and is sent as `m.file` or
`m.image`; a file someone sends is fetched back as bytes (for the blob store)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from nio import AsyncClient, DownloadError, MemoryDownloadResponse, UploadResponse

from bot.platforms.matrix.api import MatrixError, call
from commands.files import Incoming
from commands.reply import Attachment

# Files people send are refused past this size rather than read into memory.
MAX_DOWNLOAD = 20 * 1024 * 1024


@dataclass(frozen=True)
class IncomingFile:
    """A file someone sent in a room, as the event describes it."""

    url: str
    filename: str
    content_type: str
    size: int | None


async def upload(client: AsyncClient, attachment: Attachment) -> str:
    """Put the file in the media repository; returns its `mxc://` URI."""

    async def request() -> Any:
        response, _keys = await client.upload(
            io.BytesIO(attachment.data),
            content_type=attachment.content_type,
            filename=attachment.filename,
            filesize=len(attachment.data),
        )
        return response

    response = await call(f"upload {attachment.filename}", request, UploadResponse)
    return str(response.content_uri)


def file_content(attachment: Attachment, url: str) -> dict[str, Any]:
    msgtype = "m.image" if attachment.content_type.startswith("image/") else "m.file"
    return {
        "msgtype": msgtype,
        "body": attachment.filename,
        "filename": attachment.filename,
        "url": url,
        "info": {"mimetype": attachment.content_type, "size": len(attachment.data)},
        "m.mentions": {},
    }


def caption(content: dict[str, Any]) -> str | None:
    """The text sent with a file (a body that is not the file's name), if any."""
    filename, body = content.get("filename"), content.get("body")
    if isinstance(filename, str) and isinstance(body, str) and body.strip() and body != filename:
        return body
    return None


def incoming_file(content: dict[str, Any]) -> IncomingFile | None:
    """The file an `m.file`, `m.image`, `m.audio` or `m.video` event carries, if any."""
    url = content.get("url")
    if content.get("msgtype") not in ("m.file", "m.image", "m.audio", "m.video") or not (
        isinstance(url, str) and url.startswith("mxc://")
    ):
        return None  # encrypted files (content["file"]) wait for encrypted rooms
    info = content.get("info")
    info = info if isinstance(info, dict) else {}
    size = info.get("size")
    return IncomingFile(
        url=url,
        filename=str(content.get("filename") or content.get("body") or "file"),
        content_type=str(info.get("mimetype") or "application/octet-stream"),
        size=size if isinstance(size, int) else None,
    )


async def download(client: AsyncClient, incoming: IncomingFile) -> Incoming:
    """Fetch a file someone sent, for a command to keep in the blob store."""
    if incoming.size is not None and incoming.size > MAX_DOWNLOAD:
        raise MatrixError(f"download {incoming.url}", DownloadError("file too large"))
    response = await call(f"download {incoming.url}",
                          lambda: client.download(mxc=incoming.url), MemoryDownloadResponse)
    body = response.body
    if not isinstance(body, bytes) or len(body) > MAX_DOWNLOAD:
        raise MatrixError(f"download {incoming.url}", DownloadError("file too large"))
    return Incoming(incoming.filename, incoming.content_type, body)
