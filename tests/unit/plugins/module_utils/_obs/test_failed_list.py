# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The failed-object list parser over every layout it must read, and its memory bound."""

import io
import tracemalloc
from urllib.parse import quote

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._obs.failed_list import parse_line, parse_lines

KEYS = ['photos/a.jpg', 'photos/with space.jpg', 'p/comma,in,key.txt', 'p/plus+sign.txt', 'p/percent%41.txt', 'p/tilde~é中.txt', 'p/tab-like  two.txt']
DELIMITERS = {'tab': '\t', 'comma': ',', 'space': ' '}
HEADER = ('ErrorCode', 'Time', 'EncodedKey', 'Key', 'ErrorMessage')


def _file(delimiter, *, header=False, crlf=False, bom=False, time='2024-03-09 15:05:03', encode=lambda key: quote(key, safe='/')):
    lines = [delimiter.join(HEADER)] if header else []
    for number, key in enumerate(KEYS):
        code = ('UPLOAD_DST_OBJ_FAILURE', 'GET_SRC_OBJ_FAILURE')[number % 2]
        lines.append(delimiter.join([code, time, encode(key), key, '-1-OBSClientUploadError, retry later']))
    text = ('\r\n' if crlf else '\n').join(lines) + '\n'
    return (('\ufeff' if bom else '') + text).encode('utf-8')


@pytest.mark.parametrize('name', sorted(DELIMITERS))
@pytest.mark.parametrize('header', [False, True])
@pytest.mark.parametrize('crlf', [False, True])
def test_every_layout_gives_the_same_entries(name, header, crlf):
    found = parse_lines(io.BytesIO(_file(DELIMITERS[name], header=header, crlf=crlf, bom=header)), max_objects=100, source='f.txt')
    assert found.unparsable == [] and found.unparsable_count == 0
    assert found.total == len(KEYS) and found.counts == {'GET_SRC_OBJ_FAILURE': 3, 'UPLOAD_DST_OBJ_FAILURE': 4}
    assert [entry['key'] for entry in found.objects] == KEYS
    first = found.objects[0]
    assert first['time'] == '2024-03-09 15:05:03' and first['message'] == '-1-OBSClientUploadError, retry later'
    assert first['file'] == 'f.txt' and first['line'] == (2 if header else 1)


@pytest.mark.parametrize('time', ['2024-03-09 15:05:03 +08:00', '2024-03-09T15:05:03+08:00', '1709967903000', '2024/03/09 15:05'])
def test_time_formats_in_space_layout(time):
    found = parse_lines(io.BytesIO(_file(' ', time=time)), max_objects=100)
    assert found.total == len(KEYS) and {entry['time'] for entry in found.objects} == {time}


def test_plus_encoded_spaces_are_understood():
    found = parse_lines(io.BytesIO(_file('\t', encode=lambda key: quote(key, safe='/').replace('%20', '+'))), max_objects=100)
    assert found.total == len(KEYS)


def test_unparsable_lines_are_kept_with_their_number_and_counted():
    body = _file('\t') + b'not a line at all\n\nlower_case\t2024\tk\tk\tm\nUPLOAD_DST_OBJ_FAILURE\t2024\ta%20b\tnot the key\tm\n\xff\xfe\n'
    found = parse_lines(io.BytesIO(body), max_objects=100)
    assert found.total == len(KEYS) and found.unparsable_count == 4
    assert [(entry['line'], entry['text'][:10]) for entry in found.unparsable] == [
        (8, 'not a line'),
        (10, 'lower_case'),
        (11, 'UPLOAD_DST'),
        (12, '\ufffd\ufffd'),
    ]


def test_a_header_only_counts_on_the_first_line():
    body = _file('\t') + '\t'.join(HEADER).encode() + b'\n'
    found = parse_lines(io.BytesIO(body), max_objects=100)
    assert found.unparsable_count == 1 and found.unparsable[0]['line'] == len(KEYS) + 1


def test_max_objects_bounds_what_is_kept_not_what_is_counted():
    found = parse_lines(io.BytesIO(_file('\t') + b'junk\n' * 5), max_objects=2)
    assert found.total == len(KEYS) and len(found.objects) == 2
    assert found.unparsable_count == 5 and len(found.unparsable) == 2


def test_several_files_add_up_into_one_result():
    found = parse_lines(io.BytesIO(_file('\t')), max_objects=100, source='a')
    parse_lines(io.BytesIO(_file(',')), max_objects=100, source='b', into=found)
    assert found.total == 2 * len(KEYS) and found.objects[-1]['file'] == 'b'
    assert found.as_dict()['counts'] == {'GET_SRC_OBJ_FAILURE': 6, 'UPLOAD_DST_OBJ_FAILURE': 8}


@pytest.mark.parametrize('text', ['', 'CODE', 'CODE\t', 'CODE\ttime', 'CODE\ttime\tenc', 'CODE\ttime\t\tkey\tmsg'])
def test_short_lines_do_not_fit(text):
    assert parse_line(text) is None


def test_an_empty_message_is_allowed():
    assert parse_line('GET_SRC_OBJ_FAILURE\tt\ta%2Cb\ta,b') == {'code': 'GET_SRC_OBJ_FAILURE', 'time': 't', 'key': 'a,b', 'key_encoded': 'a%2Cb', 'message': ''}


def test_a_long_list_is_parsed_within_a_memory_bound():
    # 20,000 lines under tracemalloc (slow); the integration test reads 100,000 through the module.
    line = 'UPLOAD_DST_OBJ_FAILURE\t2024-03-09 15:05:03\tdata/part%%20%06d.bin\tdata/part %06d.bin\t-1-OBSClientUploadError\n'
    body = ''.join(line % (number, number) for number in range(20000)).encode('utf-8')
    tracemalloc.start()
    try:
        found = parse_lines(io.BytesIO(body), max_objects=100)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found.total == 20000 and found.counts == {'UPLOAD_DST_OBJ_FAILURE': 20000} and len(found.objects) == 100
    # The body is about 1.9 MB; the parse keeps a few hundred kilobytes at most, never a second copy of it.
    assert len(body) > 1_900_000 and peak < 500_000, peak
