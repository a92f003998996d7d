# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Response bodies are bounded by ``max_response_bytes``, after decompression, and never read whole when larger."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gzip
import json
import socket
import socketserver
import threading
import tracemalloc
import zlib

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport
from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import DEFAULTS

PROJECT = '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d'
TASK = {'sync_task_id': 't', 'status': 'SYNCHRONIZING'}
MIB = 1024 * 1024


def _client(url, **params):
    base = {'endpoint': url, 'project_id': PROJECT, 'auth_token': 'token-value', 'retries': 2, 'timeout': 5}
    base.update(params)
    return HuaweiCloudClient(base, 'oms')


def _read(url, **params):
    return _client(url, **params).get_json('/v2/{project_id}/sync-tasks/t')


class ChunkedServer:
    """Answers every request with ``headers`` and ``body`` sent chunked (no Content-Length), then closes."""

    def __init__(self, body, headers=(), status='200 OK'):
        self.connections = 0
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.recv(65536)
                server.connections += 1
                head = ['HTTP/1.1 %s' % status, 'Content-Type: application/json', 'Transfer-Encoding: chunked', 'Connection: close']
                head += ['%s: %s' % pair for pair in headers]
                try:
                    self.request.sendall(('\r\n'.join(head) + '\r\n\r\n').encode('ascii'))
                    for start in range(0, len(body), 65536):
                        piece = body[start : start + 65536]
                        self.request.sendall(b'%x\r\n%s\r\n' % (len(piece), piece))
                    self.request.sendall(b'0\r\n\r\n')
                    self.request.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # the client stopped reading: what a bounded read does

        self.httpd = socketserver.ThreadingTCPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.01}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def chunked_server():
    servers = []

    def start(body, headers=(), status='200 OK'):
        servers.append(ChunkedServer(body, headers, status))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _padded(size):
    """A JSON sync task followed by spaces: ``size`` bytes, still valid JSON."""
    text = json.dumps(TASK).encode('ascii')
    return text + b' ' * (size - len(text))


def test_the_default_limit_is_a_few_tens_of_mib_and_documented():
    assert DEFAULTS['max_response_bytes'] == 32 * MIB
    session = _transport.build_session('ua/1', max_response_bytes=2 * MIB)
    assert session.get_adapter('http://x').max_response_bytes == 2 * MIB
    # Only what read_body can bound is asked for (no brotli or zstd behind urllib3's back).
    assert session.headers['Accept-Encoding'] == 'gzip, deflate'


def test_a_declared_length_over_the_limit_is_refused_before_reading_and_not_retried(fake_server):
    fake_server.handler = lambda request: (200, {}, _padded(2 * MIB))
    with pytest.raises(HuaweiCloudError) as caught:
        _read(fake_server.url, max_response_bytes=MIB)
    err = caught.value
    assert err.code == 'ResponseTooLarge' and err.status == 200
    assert 'declares a body of %d bytes' % (2 * MIB) in err.message and 'max_response_bytes (%d)' % MIB in err.message
    assert len(fake_server.requests) == 1  # the same answer again would be as large


def test_a_body_at_the_limit_is_read(fake_server):
    fake_server.handler = lambda request: (200, {}, _padded(MIB))
    body, _meta = _read(fake_server.url, max_response_bytes=MIB)
    assert body == TASK


def test_a_chunked_body_over_the_limit_is_cut_at_the_limit(chunked_server):
    server = chunked_server(_padded(3 * MIB))
    with pytest.raises(HuaweiCloudError) as caught:
        _read(server.url, max_response_bytes=MIB, retries=0)
    assert caught.value.code == 'ResponseTooLarge' and 'after decompression' in caught.value.message
    assert server.connections == 1


def test_a_gzip_body_under_the_limit_is_decoded(fake_server):
    fake_server.handler = lambda request: (200, {'Content-Encoding': 'gzip', 'Content-Type': 'application/json'}, gzip.compress(_padded(MIB)))
    body, _meta = _read(fake_server.url, max_response_bytes=MIB)
    assert body == TASK


def test_a_deflate_body_and_a_two_member_gzip_body_are_decoded(fake_server):
    fake_server.handler = lambda request: (200, {'Content-Encoding': 'deflate'}, zlib.compress(json.dumps(TASK).encode()))
    assert _read(fake_server.url)[0] == TASK
    text = json.dumps(TASK).encode()
    fake_server.handler = lambda request: (200, {'Content-Encoding': 'gzip'}, gzip.compress(text[:10]) + gzip.compress(text[10:]))
    assert _read(fake_server.url)[0] == TASK


def test_a_gzip_bomb_is_refused_within_the_limits_memory(fake_server):
    # 256 MiB of spaces in about 250 KB on the wire.
    bomb = gzip.compress(_padded(256 * MIB), compresslevel=9)
    assert len(bomb) < MIB
    fake_server.handler = lambda request: (200, {'Content-Encoding': 'gzip'}, bomb)
    client = _client(fake_server.url, max_response_bytes=4 * MIB, retries=0)
    tracemalloc.start()
    try:
        with pytest.raises(HuaweiCloudError) as caught:
            client.get_json('/v2/{project_id}/sync-tasks/t')
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.code == 'ResponseTooLarge', caught.value.message
    # The decoded pieces kept (never more than the limit) plus a few network reads of working space.
    assert peak < 4 * MIB + MIB // 2, peak


def test_a_chunked_gzip_bomb_is_refused_too(chunked_server):
    server = chunked_server(gzip.compress(_padded(64 * MIB)), headers=[('Content-Encoding', 'gzip')])
    with pytest.raises(HuaweiCloudError) as caught:
        _read(server.url, max_response_bytes=MIB, retries=0)
    assert caught.value.code == 'ResponseTooLarge'


def test_an_error_answer_over_the_limit_is_refused_not_excerpted(fake_server):
    fake_server.handler = lambda request: (502, {'Content-Type': 'text/html'}, b'<html>' + b'x' * (2 * MIB))
    with pytest.raises(HuaweiCloudError) as caught:
        _read(fake_server.url, max_response_bytes=MIB, retries=0)
    assert caught.value.code == 'ResponseTooLarge' and caught.value.status == 502
    assert 'xxx' not in caught.value.message


@pytest.mark.parametrize('encoding', ['br', 'zstd', 'gzip, gzip', 'compress'])
def test_an_encoding_that_cannot_be_bounded_is_refused(fake_server, encoding):
    fake_server.handler = lambda request: (200, {'Content-Encoding': encoding}, b'\x00\x01\x02')
    with pytest.raises(HuaweiCloudError) as caught:
        _read(fake_server.url)
    assert caught.value.code == 'InvalidResponse' and 'could not be decoded' in caught.value.message
    assert len(fake_server.requests) == 1


def test_a_broken_or_cut_gzip_stream_is_an_error(fake_server):
    fake_server.handler = lambda request: (200, {'Content-Encoding': 'gzip'}, b'this is not gzip at all')
    with pytest.raises(HuaweiCloudError) as caught:
        _read(fake_server.url, retries=0)
    assert caught.value.code == 'InvalidResponse'
    whole = gzip.compress(json.dumps(TASK).encode())
    fake_server.handler = lambda request: (200, {'Content-Encoding': 'gzip'}, whole[:-6])  # the trailer missing
    with pytest.raises(HuaweiCloudError) as caught:
        _read(fake_server.url, retries=0)
    assert caught.value.code == 'IncompleteResponse'


def test_a_second_read_of_a_refused_body_raises_the_same_error(fake_server):
    fake_server.handler = lambda request: (200, {}, _padded(2 * MIB))
    session = _transport.build_session('ua/1', max_response_bytes=MIB)
    response = session.get(fake_server.url + '/x', stream=True, timeout=(5, 5))
    with pytest.raises(_transport.BodyReadError) as first:
        _transport.read_body(response, 5)
    with pytest.raises(_transport.BodyReadError) as second:
        _transport.read_body(response, 5)
    assert second.value is first.value and first.value.code == 'ResponseTooLarge'


def test_an_iam_token_answer_over_the_limit_is_refused(fake_server):
    fake_server.handler = lambda request: (201, {'X-Subject-Token': 'tok'}, _padded(2 * MIB))
    connection = {'endpoint': fake_server.url, 'iam_endpoint': fake_server.url, 'region': 'cn-north-4', 'max_response_bytes': MIB}
    client = HuaweiCloudClient(dict(connection, username='u', password='p', domain_name='d'), 'oms')
    with pytest.raises(HuaweiCloudError) as caught:
        client.get_json('/v2/{project_id}/sync-tasks/t')
    assert 'could not obtain an IAM token' in caught.value.message and 'max_response_bytes' in caught.value.message
