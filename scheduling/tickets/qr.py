"""QR code images for ticket tokens (PNG, embedded in the PDF as a data: URL)."""

import base64
import io
from dataclasses import dataclass

import qrcode
from qrcode.constants import ERROR_CORRECT_M

# Module size in pixels: the PNG is scaled down in print, so a larger box keeps edges crisp.
BOX_SIZE = 8
QUIET_ZONE = 4  # modules, as the QR standard requires


@dataclass(frozen=True)
class QrImage:
    png: bytes
    version: int

    @property
    def data_url(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def qr_render(data: str) -> QrImage:
    """Smallest QR version that holds ``data`` at error correction M (15% damage)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=BOX_SIZE, border=QUIET_ZONE)
    code.add_data(data, optimize=0)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return QrImage(png=buffer.getvalue(), version=code.version)
