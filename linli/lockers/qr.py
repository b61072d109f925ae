"""The pickup QR as inline SVG (works offline)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg


def qr_svg(payload: str) -> str:
    image = qrcode.make(payload, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return str(image.to_string(encoding="unicode"))
