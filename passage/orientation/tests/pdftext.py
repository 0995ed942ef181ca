"""A small reader of the text layer of typst's PDFs, for tests (no PDF library needed).

typst writes Type0 fonts with a ToUnicode map and content streams with
``/fN size Tf`` and hex strings of two-byte glyph ids (``Tj``/``TJ``). This reads
each page's glyphs back into text through those maps. Right-to-left runs are
written in visual order, so :func:`page_texts` gives each text run both as
written and with its glyphs reversed (the logical order of Arabic script).
"""

from __future__ import annotations

import re
import zlib

OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
STREAM = re.compile(rb"stream\r?\n(.*)\r?\nendstream", re.S)


TOKEN = re.compile(
    rb"/([\w.+-]+)\s+[\d.]+\s+Tf|\[((?:\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]*>|[^\]])*)\]\s*TJ"
    rb"|((?:\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]*>))\s*Tj",
    re.S,
)
STRING = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]*>", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _string(token: bytes) -> bytes:
    """The bytes of a PDF string token: ``(literal)`` with escapes, or ``<hex>``."""
    if token.startswith(b"<"):
        return bytes.fromhex(token[1:-1].decode())
    body, out, i = token[1:-1], bytearray(), 0
    while i < len(body):
        char = body[i : i + 1]
        if char != b"\\":
            out += char
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            nxt = body[i + 1 : i + 2]
            out += ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in OBJ.finditer(pdf)}


def _stream(body: bytes) -> bytes:
    match = STREAM.search(body)
    assert match, "no stream"
    data = match.group(1)
    return zlib.decompress(data) if b"FlateDecode" in body.split(b"stream")[0] else data


def _hex_text(value: bytes) -> str:
    return bytes.fromhex(value.decode()).decode("utf-16-be")


def _cmap(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = _hex_text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = ord(_hex_text(dst)[-1])
            prefix = _hex_text(dst)[:-1]
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = prefix + chr(start + offset)
    return mapping


def page_texts(pdf: bytes) -> list[list[tuple[str, str]]]:
    """For each page, its text runs as (as written, glyphs reversed)."""
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for names in re.findall(rb"/Font\s*<<(.*?)>>", body, re.S):
            for name, ref in re.findall(rb"/([\w.+-]+)\s+(\d+) 0 R", names):
                font_object = objects[int(ref)]
                to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", font_object)
                if to_unicode:
                    fonts[name] = _cmap(_stream(objects[int(to_unicode.group(1))]))
    pages = []
    kids = re.search(rb"/Kids\[(.*?)\]", pdf)
    assert kids, "no page tree"
    page_ids = [int(n) for n in re.findall(rb"(\d+) 0 R", kids.group(1))]
    for page_id in page_ids:
        contents = re.search(rb"/Contents\s+(\d+) 0 R", objects[page_id])
        assert contents, "page without contents"
        stream = _stream(objects[int(contents.group(1))])
        runs: list[tuple[str, str]] = []
        font: dict[int, str] = {}
        for token in TOKEN.finditer(stream):
            if token.group(1) is not None:
                font = fonts.get(token.group(1), {})
                continue
            raw = token.group(2) if token.group(2) is not None else token.group(3)
            codes = b"".join(_string(s) for s in STRING.findall(raw))
            glyphs = [
                font.get(int.from_bytes(codes[i : i + 2]), "") for i in range(0, len(codes), 2)
            ]
            runs.append(("".join(glyphs), "".join(reversed(glyphs))))
        pages.append(runs)
    return pages


def shows(page: list[tuple[str, str]], text: str) -> bool:
    """Whether every word of ``text`` is on the page, its glyphs in either order.

    Right-to-left words come as separate runs in visual order; each word is
    checked on its own so the test does not depend on how runs are split.
    """
    forward = " ".join(run for run, _back in page)
    backward = " ".join(back for _run, back in page)
    return all(word in forward or word in backward for word in text.split())
