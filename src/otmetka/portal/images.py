"""Pictures of news items: checked with Pillow and resized for the page; the original is kept
as uploaded and only the copy (without the camera's metadata, GPS included) is shown publicly."""

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_TYPES = ("jpg", "jpeg", "png")
DISPLAY_MAX = 1280  # px, the longer side of the copy on the page
PIXELS_MAX = 40_000_000  # a larger picture is refused before it is decoded


def is_image_name(name: str) -> bool:
    return name.rsplit(".", 1)[-1].lower() in IMAGE_TYPES if "." in name else False


def display_copy(uploaded: Any) -> tuple[ContentFile[bytes], str]:
    """The copy for the page (JPEG or PNG, at most DISPLAY_MAX px) and its extension; a Russian
    ValidationError for a picture Pillow cannot read or one too large."""
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            if image.width * image.height > PIXELS_MAX:
                raise ValidationError(_("The picture is too large: at most 40 megapixels."))
            image.load()
            fmt = "PNG" if image.format == "PNG" else "JPEG"
            copy = ImageOps.exif_transpose(image)
            copy.thumbnail((DISPLAY_MAX, DISPLAY_MAX))
            if fmt == "JPEG" and copy.mode not in ("RGB", "L"):
                copy = copy.convert("RGB")
            out = io.BytesIO()
            copy.save(out, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(_("The picture cannot be read.")) from None
    finally:
        uploaded.seek(0)
    return ContentFile(out.getvalue()), ("png" if fmt == "PNG" else "jpg")
