"""The pickup QR code, drawn as inline SVG (no image library, works offline)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg

from linli.orders.models import Order


def pickup_payload(order: Order) -> str:
    return f"linli:pickup:{order.number}:{order.pickup_code}"


def pickup_qr_svg(order: Order) -> str:
    image = qrcode.make(
        pickup_payload(order), image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    return image.to_string(encoding="unicode")
