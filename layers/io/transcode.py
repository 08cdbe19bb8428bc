"""Turn GBK/GB18030 byte columns into UTF-8 text columns, off the interpreter lock where possible.

A GBK file is parsed as bytes, not text: in GBK and GB18030 every byte of a
multibyte character is 0x30 or above, so commas, quotes and line breaks are
always what they seem and pyarrow can split the raw bytes. Columns that turn
out to be plain ASCII (coordinates, times, case numbers) then need no
decoding at all, and only the Chinese text columns are decoded.

That decoding goes through glibc's ``iconv`` called by ctypes, which lets go
of the GIL, so it runs on the second core while the loader builds the point
geometries (work that holds the GIL). Where iconv is missing (not glibc) or
refuses a byte sequence, Python's codec decodes the same bytes instead.

Notes
-----
glibc follows GB18030-2005, Python's ``gb18030`` codec GB18030-2000. Of the
two-byte codes and the four-byte codes with lead bytes 0x81-0x84 they differ
on 44 (checked code by code): 25 two-byte codes (vertical punctuation, ``ḿ``,
a few ideographs) that the 2005 edition moved from the Private Use Area to
their standard code points, which iconv gives and fonts draw; the four-byte
code 0x8135F437, which took ``ḿ``'s old place in the PUA; and 18 four-byte
codes the 2005 edition retired, which iconv refuses and Python's codec then
decodes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: A value separator no value can hold after the split is checked (see ``_decode_bulk``).
_SEPARATOR = "\x00"
#: Columns with at most this share of distinct values (sampled) are decoded per distinct value.
_REPEATED_SHARE = 0.2
_SAMPLE = 2000


class UndecodableText(ValueError):
    """Bytes that are not text in the file's encoding (the caller rereads the file line by line)."""


def is_ascii(column: pa.ChunkedArray) -> bool:
    """True when every byte of a binary column is below 0x80 (so it is already UTF-8)."""
    for chunk in column.chunks:
        data = _value_bytes(chunk)
        if data.size and data.max() >= 0x80:
            return False
    return True


def decode_column(column: pa.ChunkedArray, codec: str) -> pa.ChunkedArray:
    """Decode a binary column from ``codec`` into a UTF-8 string column, keeping nulls.

    Parameters
    ----------
    column : pyarrow.ChunkedArray of binary
    codec : str
        A Python codec name (``gb18030``); iconv is used for the GB family.

    Raises
    ------
    UndecodableText
        When a value is not valid ``codec`` text.

    Notes
    -----
    Each step is one pyarrow or iconv call that lets go of the GIL; the
    thread building points beside this one hands the GIL back between its
    slices, so the fewer steps, the sooner this finishes. Hence whole-column
    calls where pyarrow has them and a decision per column, not per chunk.
    """
    if column.num_chunks == 0 or len(column) == 0:
        return pa.chunked_array([], pa.string())
    sample = column.chunk(0).slice(0, _SAMPLE)
    if len(pc.unique(sample)) > _REPEATED_SHARE * len(sample):
        return pa.chunked_array([_decode_bulk(chunk, codec) for chunk in column.chunks], pa.string())
    # Categories, statuses, street names: decode each distinct value once.
    encoded = pc.dictionary_encode(column)  # one dictionary shared by every chunk
    dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
    if not all(chunk.dictionary.equals(dictionary) for chunk in encoded.chunks):  # pragma: no cover - pyarrow unifies
        return pa.chunked_array([_decode_bulk(chunk, codec) for chunk in column.chunks], pa.string())
    words = pa.array([_python_decode(value, codec) for value in dictionary.to_pylist()], pa.string())
    return words.take(pa.chunked_array([chunk.indices for chunk in encoded.chunks]))


def _decode_bulk(chunk: pa.Array, codec: str) -> pa.Array:
    """Join the values with a separator, transcode the whole run at once, split it again."""
    filled = chunk.fill_null(b"") if chunk.null_count else chunk
    whole = pc.binary_join(pa.ListArray.from_arrays(pa.array([0, len(filled)], pa.int32()), filled), _SEPARATOR.encode())
    parts = pc.split_pattern(_transcode(whole[0].as_buffer(), codec), _SEPARATOR).flatten().cast(pa.string())
    if len(parts) != len(chunk):  # a value held the separator itself: decode one by one
        parts = pa.array([_python_decode(v, codec) for v in filled.to_pylist()], pa.string())
    if chunk.null_count:
        parts = pc.if_else(chunk.is_valid(), parts, pa.scalar(None, pa.string()))
    return parts


def _transcode(data: pa.Buffer, codec: str) -> pa.Array:
    """One UTF-8 string holding all of ``data``, as a one-element large_string array."""
    converted = _iconv_to_utf8(data, codec)
    if converted is None:
        return pa.array([_python_decode(data.to_pybytes(), codec)], pa.large_string())
    offsets = pa.py_buffer(np.array([0, len(converted)], dtype=np.int64))
    return pa.LargeStringArray.from_buffers(1, offsets, converted)


def _python_decode(value: bytes | None, codec: str) -> str | None:
    if value is None:
        return None
    try:
        return value.decode(codec)
    except UnicodeDecodeError as error:
        raise UndecodableText(str(error)) from None


@functools.cache
def _libc():
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name, use_errno=True)  # CDLL (not PyDLL) calls release the GIL
        libc.iconv_open.restype = ctypes.c_void_p
        libc.iconv_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        libc.iconv.restype = ctypes.c_size_t
        pointer, size = ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_size_t)
        libc.iconv.argtypes = [ctypes.c_void_p, pointer, size, pointer, size]
        libc.iconv_close.argtypes = [ctypes.c_void_p]
    except (OSError, AttributeError):
        return None
    return libc


_ICONV_NAMES = {"gb18030": b"GB18030", "gbk": b"GB18030"}
_FAILED = ctypes.c_size_t(-1).value


def _iconv_to_utf8(data: pa.Buffer, codec: str) -> pa.Buffer | None:
    """UTF-8 bytes of ``data`` by glibc iconv, or None where iconv cannot (the caller uses Python's codec)."""
    libc, name = _libc(), _ICONV_NAMES.get(codec.lower().replace("_", ""))
    if libc is None or name is None:
        return None
    handle = libc.iconv_open(b"UTF-8", name)
    if handle is None or handle == _FAILED:
        return None
    try:
        # GB18030 to UTF-8 grows one byte to one, two to at most three, four to four.
        out = pa.allocate_buffer(len(data) * 3 // 2 + 16)
        src, src_left = ctypes.c_void_p(data.address), ctypes.c_size_t(len(data))
        dst, dst_left = ctypes.c_void_p(out.address), ctypes.c_size_t(out.size)
        result = libc.iconv(handle, ctypes.byref(src), ctypes.byref(src_left), ctypes.byref(dst), ctypes.byref(dst_left))
    finally:
        libc.iconv_close(handle)
    if result == _FAILED or src_left.value:
        return None
    return out.slice(0, out.size - dst_left.value)


def _value_bytes(chunk: pa.Array) -> np.ndarray:
    """The bytes of a binary chunk's values, as a uint8 view (no copy)."""
    offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32, count=len(chunk) + 1, offset=4 * chunk.offset)
    data = chunk.buffers()[2]
    if data is None:
        return np.empty(0, np.uint8)
    return np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]
