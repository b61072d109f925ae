"""Uploaded pictures (product photos, proof of delivery): the type is read from the file's first
bytes, never from its name or the browser's word."""

from __future__ import annotations

from typing import IO


def sniff_image(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) for JPEG, PNG or WebP; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def sniff_upload(upload: IO[bytes]) -> tuple[str, str] | None:
    """Sniff an uploaded file and leave it rewound for saving."""
    upload.seek(0)
    kind = sniff_image(upload.read(16))
    upload.seek(0)
    return kind
