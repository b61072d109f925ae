"""Procurement pages: shop staff (desktop), the supplier portal, the resident's origin page."""
