"""TOTP devices: enrolment and verification (django-otp)."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from csphub.accounts.models import User
from csphub.accounts.roles import requires_two_factor

DEVICE_NAME = "Authenticator app"


def second_factor_due(user: object) -> bool:
    """Signed in, the second factor not yet passed, and it is asked of them.

    It is asked at every sign-in of anyone whose role requires it and of anyone who has
    enrolled (confirmed) a device, whatever their role: a device you set up protects you.
    """
    if not getattr(user, "is_authenticated", False) or user.is_verified():  # type: ignore[attr-defined]
        return False
    return requires_two_factor(user) or user_has_device(user, confirmed=True)


def pending_device(user: User) -> TOTPDevice:
    """The user's unconfirmed device, created on first visit to the enrolment page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def base32_secret(device: TOTPDevice) -> str:
    """The secret in the base32 form authenticator apps accept when typed in."""
    return base64.b32encode(device.bin_key).decode("ascii")


def qr_svg(device: TOTPDevice) -> str:
    """The provisioning URI as an inline SVG QR code (no external service, no images on disk)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # drop the XML declaration for inline use
