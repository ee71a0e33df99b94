"""The text of a PDF written by fpdf2 with an embedded TrueType font, without a PDF library:
inflate the streams, read the ToUnicode map and decode the glyph ids shown by Tj."""

import re
import zlib

# fpdf2 writes "stream\n<data>\nendstream": no "\r?" before "endstream", where a compressed
# stream's last byte (a checksum byte: 0x0D one time in 256) would be taken for a line end.
STREAM = re.compile(rb"\bobj\b(.*?)\bstream\r?\n(.*?)\nendstream", re.S)
STRING = rb"\(((?:\\.|[^\\)])*)\)"
PLAIN = rb"\((?:\\.|[^\\)])*\)"
SHOWN = re.compile(STRING + rb"\s*Tj|\[((?:" + PLAIN + rb"|[^\]()])*)\]\s*TJ", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _streams(content: bytes) -> list[bytes]:
    found = []
    for head, body in STREAM.findall(content):
        found.append(zlib.decompress(body) if b"FlateDecode" in head else body)
    return found


def _cmap(streams: list[bytes]) -> dict[int, str]:
    glyphs: dict[int, str] = {}
    for s in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", s, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                glyphs[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    return glyphs


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i : i + 1] != b"\\":
            out += raw[i : i + 1]
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(), 8))
            i += 1 + len(octal.group())
        else:
            out += ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def _decode(data: bytes, glyphs: dict[int, str]) -> str:
    codes = [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
    return "".join(glyphs.get(c, "?") for c in codes)


def pdf_text(content: bytes) -> str:
    """Every string the PDF shows, one per line."""
    streams = _streams(content)
    glyphs = _cmap(streams)
    lines = []
    for s in streams:
        for found in SHOWN.finditer(s):
            pieces = [found.group(1)] if found.group(1) is not None else []
            if found.group(2) is not None:  # a justified line: [(…) -123 (…)] TJ
                pieces = re.findall(STRING, found.group(2))
            lines.append("".join(_decode(_unescape(p), glyphs) for p in pieces))
    return "\n".join(lines)
