"""The school's signing key and the detached CMS/PKCS#7 signature of an archive's manifest.

The key and its self-signed X.509 certificate live under OTMETKA_DATA_DIR/keys/school-<id>/
(created 0600 on first use unless the operator put the school's own pair there); never in the
database, so a database dump does not carry it. Verification needs only the certificate.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _

KEY_NAME, CERT_NAME = "school.key", "school.crt"
OID_MESSAGE_DIGEST = bytes.fromhex("06092a864886f70d010904")  # 1.2.840.113549.1.9.4


def key_dir(school_id: int) -> Path:
    """Where the school's key and certificate are kept (outside the database)."""
    return Path(settings.DATA_DIR) / "keys" / f"school-{school_id}"


def _write_private(path: Path, data: bytes) -> None:
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(data)


def school_keys(
    school_id: int, school_name: str
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """The school's key and certificate, generated (P-256, ten years) on first use."""
    folder = key_dir(school_id)
    key_path, cert_path = folder / KEY_NAME, folder / CERT_NAME
    if not key_path.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, school_name[:64] or "-")])
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .sign(key, hashes.SHA256())
        )
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_private(key_path, pem)
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(loaded, ec.EllipticCurvePrivateKey):
        raise ValueError("the school's key must be an EC key")
    return loaded, x509.load_pem_x509_certificate(cert_path.read_bytes())


def sign_detached(data: bytes, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> bytes:
    """A detached CMS SignedData (DER) over `data`, with the certificate inside."""
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(data)
        .add_signer(cert, key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
    )


# --- verification: a small DER reader (cryptography signs CMS but does not verify it) ----------


@dataclass
class _Tlv:
    tag: int
    start: int  # of the tag
    body: int  # of the contents
    end: int


def _read(data: bytes, pos: int) -> _Tlv:
    tag = data[pos]
    length = data[pos + 1]
    body = pos + 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[body : body + count], "big")
        body += count
    if body + length > len(data):
        raise ValueError("truncated DER")
    return _Tlv(tag, pos, body, body + length)


def _children(data: bytes, tlv: _Tlv) -> list[_Tlv]:
    found, pos = [], tlv.body
    while pos < tlv.end:
        child = _read(data, pos)
        found.append(child)
        pos = child.end
    return found


@dataclass
class Signature:
    """The parts of a detached CMS signature needed to check it."""

    certificate: x509.Certificate
    signed_attrs: bytes  # re-tagged as a SET: what was signed
    digest: bytes  # the messageDigest attribute
    value: bytes


def _parse(der: bytes) -> Signature:
    content_info = _read(der, 0)
    explicit = _children(der, content_info)[1]
    signed_data = _children(der, explicit)[0]
    parts = _children(der, signed_data)
    certs = next(p for p in parts if p.tag == 0xA0)
    first_cert = _children(der, certs)[0]
    certificate = x509.load_der_x509_certificate(der[first_cert.start : first_cert.end])
    signer = _children(der, _children(der, parts[-1])[0] if parts[-1].tag == 0x31 else parts[-1])
    attrs = next(p for p in signer if p.tag == 0xA0)
    value = next(p for p in reversed(signer) if p.tag == 0x04)
    digest = b""
    for attr in _children(der, attrs):
        oid, values = _children(der, attr)
        if der[oid.start : oid.end] == OID_MESSAGE_DIGEST:
            octets = _children(der, values)[0]
            digest = der[octets.body : octets.end]
    signed = b"\x31" + der[attrs.start + 1 : attrs.end]
    return Signature(certificate, signed, digest, der[value.body : value.end])


def verify_detached(data: bytes, der: bytes, trusted: x509.Certificate | None = None) -> str:
    """ "" when `der` is a valid signature of `data` (by `trusted`, if given), else the reason."""
    try:
        sig = _parse(der)
    except (ValueError, IndexError, StopIteration):
        return _("signature unreadable")
    if trusted is not None and sig.certificate != trusted:
        return _("signed by another certificate")
    if sig.digest != hashlib.sha256(data).digest():
        return _("digest mismatch")
    public = sig.certificate.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey):
        return _("unsupported key")
    try:
        public.verify(sig.value, sig.signed_attrs, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return _("signature invalid")
    return ""
