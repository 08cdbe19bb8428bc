"""GBK files parsed as bytes: column decoding, its fallbacks, and bad bytes found late."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from gisapp.layers.io import read_layer
from gisapp.layers.io.transcode import UndecodableText, decode_column, is_ascii

CHINESE = ["西门市场", "凤凰山市场", "武昌馆", "乐安镇", "忠孝乡", "建平镇"]


def gbk_column(values, chunks=1) -> pa.ChunkedArray:
    raw = [None if v is None else v.encode("gb18030") for v in values]
    parts = np.array_split(np.arange(len(raw)), chunks)
    return pa.chunked_array([pa.array([raw[i] for i in part], pa.binary()) for part in parts], pa.binary())


def test_repeated_values_decode_through_the_dictionary():
    values = [CHINESE[i % 6] if i % 17 else None for i in range(5000)]
    decoded = decode_column(gbk_column(values, chunks=3), "gb18030")
    assert decoded.type == pa.string()
    assert decoded.to_pylist() == values


def test_distinct_values_decode_in_bulk_with_nulls_and_empty_strings():
    values = [f"报警人{CHINESE[i % 6]}{i}称被盗" if i % 11 else (None if i % 2 else "") for i in range(5000)]
    assert decode_column(gbk_column(values, chunks=4), "gb18030").to_pylist() == values


def test_a_value_holding_the_separator_still_decodes():
    values = [f"地址{i}\x00附近" for i in range(3000)]
    assert decode_column(gbk_column(values), "gb18030").to_pylist() == values


def test_four_byte_gb18030_characters():
    values = [f"€ 𠀀 😀 é {i}" for i in range(3000)]
    assert decode_column(gbk_column(values), "gb18030").to_pylist() == values


def test_codes_the_2005_edition_moved_out_of_the_private_use_area():
    # 0xA6D9 is a vertical comma: GB18030-2005 maps it to U+FE10, the 2000 edition (Python) to the PUA.
    column = pa.chunked_array([pa.array([b"\xa6\xd9" + str(i).encode() for i in range(3000)], pa.binary())])
    first = decode_column(column, "gb18030")[0].as_py()
    assert first in ("\ufe10" + "0", b"\xa6\xd90".decode("gb18030"))  # iconv, or Python's codec where iconv is missing


def test_bytes_that_are_not_gb18030_raise():
    column = pa.chunked_array([pa.array([f"正常{i}".encode("gbk") for i in range(3000)] + [b"\x81\xff\xfe"], pa.binary())])
    with pytest.raises(UndecodableText):
        decode_column(column, "gb18030")


def test_a_codec_iconv_is_not_used_for_decodes_with_python():
    values = [f"台北{i}" for i in range(3000)]
    column = pa.chunked_array([pa.array([v.encode("big5") for v in values], pa.binary())])
    assert decode_column(column, "big5").to_pylist() == values


def test_ascii_detection():
    assert is_ascii(pa.chunked_array([pa.array([b"105.09", None, b"31.1"])]))
    assert not is_ascii(pa.chunked_array([pa.array([b"1"]), pa.array(["西".encode("gbk")])]))
    assert is_ascii(pa.chunked_array([pa.array(["西".encode("gbk"), b"x"]).slice(1)]))  # only the sliced values count


def write_gbk_cases(path, rows: int, bad_row: int | None = None, delimiter: str = ",") -> None:
    header = delimiter.join(["案件编号", "发案时间", "案件类别", "简要案情", "经度", "纬度"])
    lines = [header.encode("gbk")]
    for i in range(1, rows + 1):
        text = f"报警人{CHINESE[i % 6]}称{i}号被盗".encode("gbk")
        if i == bad_row:
            text = b"\x81\xff" + text  # neither GBK nor UTF-8
        fields = [f"A{i:07d}".encode(), f"2024-03-{i % 28 + 1:02d} 10:{i % 60:02d}:00".encode(), CHINESE[i % 3].encode("gbk"), text,
                  f"{105.05 + (i % 997) * 1e-4:.6f}".encode(), f"{31.05 + (i % 991) * 1e-4:.6f}".encode()]
        lines.append(delimiter.encode().join(fields))
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")


def test_a_clean_gbk_file_reads_on_the_fast_path(tmp_path):
    path = tmp_path / "cases.csv"
    write_gbk_cases(path, 3000)
    layer = read_layer(path, to_crs="auto")
    assert layer.report.encoding == "gbk" and layer.report.rows_loaded == 3000
    assert layer.data["description"].iloc[40] == "报警人建平镇称41号被盗"
    assert str(layer.data["occurred_at"].iloc[0]) == "2024-03-02 10:01:00"
    assert layer.crs.to_epsg() == 4544


def test_bad_bytes_after_the_detection_sample_reject_just_their_row(tmp_path):
    # The encoding is detected from the first megabyte; the bad row comes after it, so it is only
    # found while the text columns are decoded, and the file is then read again line by line.
    path = tmp_path / "cases.csv"
    write_gbk_cases(path, 30000, bad_row=29000)
    assert path.stat().st_size > 1.2 * 2**20
    layer = read_layer(path)
    report = layer.report
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (30000, 29999, 1)
    assert report.rejects[0].row == 29000 and "neither UTF-8 nor GBK" in report.rejects[0].reason
    assert layer.data["description"].iloc[-1] == "报警人西门市场称30000号被盗"


def test_pipe_separated_gbk_is_decoded_before_splitting(tmp_path):
    # 0x7C ('|') is a valid second byte in GBK: '亅' is 0x81 0x7C. Splitting the raw bytes would cut it.
    assert "亅".encode("gbk")[1:] == b"|"
    path = tmp_path / "cases.txt"
    path.write_bytes("案件编号|简要案情|经度|纬度\nA1|亅字|105.09|31.09\nA2|正常|105.10|31.10\n".encode("gbk"))
    layer = read_layer(path)
    assert layer.data["description"].tolist() == ["亅字", "正常"]
