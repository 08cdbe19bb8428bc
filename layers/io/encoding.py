"""Text-encoding detection for CSV exports: UTF-8 (with or without BOM), GBK, GB18030.

Police systems on Chinese Windows write GBK; newer ones write UTF-8, often
with a BOM. GB18030 is a superset of GBK, so GBK files are decoded with the
GB18030 codec and reported as GBK when every byte is also valid GBK.
"""

from __future__ import annotations

import codecs

SAMPLE_BYTES = 1 << 20


def detect_encoding(raw: bytes) -> str:
    """Name the encoding of ``raw`` from a sample: ``utf-8-sig``, ``utf-16``, ``utf-8``, ``gbk``, ``gb18030`` or ``mixed``.

    ``mixed`` means the sample is neither valid UTF-8 nor valid GB18030 (a
    file pasted together from two systems, or a truncated multibyte
    character); the caller then decodes line by line.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if (guess := _utf16_without_bom(raw[:4096])) is not None:
        return guess
    sample = _whole_lines(raw[:SAMPLE_BYTES], complete=len(raw) <= SAMPLE_BYTES)
    for name in ("utf-8", "gbk", "gb18030"):
        try:
            sample.decode(name)
            return name
        except UnicodeDecodeError:
            continue
    return "mixed"


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when ASCII-heavy text shows a zero byte at every other position, else None.

    UTF-8 and GB text never hold zero bytes; UTF-16 text of digits, commas and
    Latin headers holds one per character.
    """
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 8 or sample.count(0) < len(sample) // 4:
        return None
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def codec_for(encoding: str) -> str:
    """The codec to decode with: GB18030 for GBK, since it decodes every GBK byte the same way and more."""
    return "gb18030" if encoding == "gbk" else encoding


def decode_lines(raw: bytes) -> tuple[list[str], list[int], dict[str, int]]:
    """Decode line by line, each line as UTF-8 or else GB18030.

    Returns
    -------
    lines : list of str
        Every line, undecodable bytes replaced with U+FFFD.
    bad_lines : list of int
        0-based indices of lines that were neither encoding.
    counts : dict
        How many lines each encoding decoded, for the report.
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    lines, bad, counts = [], [], {"utf-8": 0, "gb18030": 0}
    for i, line in enumerate(raw.splitlines()):
        for name in ("utf-8", "gb18030"):
            try:
                lines.append(line.decode(name))
                counts[name] += 1
                break
            except UnicodeDecodeError:
                continue
        else:
            lines.append(line.decode("utf-8", errors="replace"))
            bad.append(i)
    return lines, bad, counts


def _whole_lines(sample: bytes, complete: bool) -> bytes:
    # A sample cut mid-character would look like a bad encoding; cut at the last newline.
    if complete:
        return sample
    cut = sample.rfind(b"\n")
    return sample[: cut + 1] if cut > 0 else sample
