# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Option checks that protect secrets and host names, bodies cut off or trickled, fail-fast reads."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import socketserver
import threading
import time

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport
from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError, NotAttemptedError, describe_send_failure
from ansible_collections.hwcloud.migration.plugins.module_utils._api.fanout import server_failure
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import (
    CREDENTIAL_OPTIONS,
    DEFAULTS,
    OptionError,
    common_argument_spec,
    validate_common_params,
)

CANARY = 'canary-SECRET-7731'
PROJECT = '0a1b2c3d4e5f0a1b2c3d4e5f0a1b2c3d'


# -- option checks ---------------------------------------------------------------


@pytest.mark.parametrize('option', CREDENTIAL_OPTIONS)
@pytest.mark.parametrize('suffix', ['\n', '\r\n', '\x00', '\x1b[0m', '\u2028'])
def test_credentials_with_control_characters_are_refused_without_the_value(option, suffix):
    with pytest.raises(OptionError) as caught:
        validate_common_params({option: CANARY + suffix})
    message = str(caught.value)
    assert message.startswith(option) and 'line break or another control character' in message
    assert CANARY not in message and 'not shown' in message


@pytest.mark.parametrize('region', ['cn-north-4', 'ap-southeast-1', 'x', 'a' * 63])
def test_plain_regions_are_accepted(region):
    # Any plain label is a region name when the hosts are given (test_regions.py checks the table otherwise).
    validate_common_params({'region': region, 'endpoint': 'http://127.0.0.1:8080'})


@pytest.mark.parametrize(
    'region',
    ['evil.example.com', 'cn-north-4/x', 'cn-north-4#', 'CN-NORTH-4', '-cn', 'cn-', 'a' * 64, 'cn north', 'cn-north-4\n', 'user@host', 'cn-north-4:8080'],
)
def test_regions_that_are_not_a_host_label_are_refused_before_any_request(region):
    with pytest.raises(OptionError) as caught:
        validate_common_params({'region': region})
    assert 'region must be a region id' in str(caught.value) and repr(region) not in str(caught.value)


@pytest.mark.parametrize('cloud', ['evil.com/x', 'localhost', 'a..b', 'Example.COM', 'x.com#', 'x.com:80'])
def test_cloud_must_be_a_domain_name(cloud):
    with pytest.raises(OptionError, match='cloud must be a domain name'):
        validate_common_params({'cloud': cloud})


@pytest.mark.parametrize('option', ['endpoint', 'iam_endpoint'])
@pytest.mark.parametrize('value', ['http://user:%s@127.0.0.1:1' % CANARY, 'https://%s@oms.example.com' % CANARY, 'user:%s@oms.example.com' % CANARY])
def test_endpoints_with_userinfo_are_refused_without_the_value(option, value):
    params = {'region': 'cn-north-4', 'access_key': 'ak', 'secret_key': 'sk', 'project_id': PROJECT, option: value}
    with pytest.raises(OptionError) as caught:
        HuaweiCloudClient(params, 'oms')
    assert 'must not contain user:password@' in str(caught.value) and CANARY not in str(caught.value)


def test_defaults_have_one_source():
    spec = common_argument_spec()
    for name in ('cloud', 'validate_certs', 'timeout', 'retries', 'max_concurrency'):
        assert spec[name]['default'] == DEFAULTS[name], name
    client = HuaweiCloudClient({'region': 'cn-north-4', 'access_key': 'ak', 'secret_key': 'sk'}, 'oms')
    for name, value in DEFAULTS.items():
        assert client.params[name] == value, name


# -- send failures are worded without header values ---------------------------------


def test_invalid_header_is_named_without_its_value():
    requests = pytest.importorskip('requests')
    error = requests.exceptions.InvalidHeader('Invalid return character or leading space in header: X-Auth-Token: %s\n' % CANARY)
    text = describe_send_failure(error)
    assert text.startswith('InvalidHeader: ') and CANARY not in text


def test_unknown_exceptions_are_named_by_type_only():
    text = describe_send_failure(RuntimeError('header X-Security-Token=%s' % CANARY))
    assert text.startswith('RuntimeError: ') and CANARY not in text


def test_transport_errors_keep_their_text_without_userinfo():
    requests = pytest.importorskip('requests')
    error = requests.exceptions.ProxyError('Cannot connect to proxy http://me:%s@proxy:3128' % CANARY)
    text = describe_send_failure(error)
    assert 'Cannot connect to proxy' in text and CANARY not in text


def test_any_exception_while_sending_becomes_an_api_error():
    class Exploding:
        def request(self, *args, **kwargs):
            raise KeyError('X-Auth-Token %s' % CANARY)

    client = HuaweiCloudClient({'endpoint': 'http://127.0.0.1:1', 'project_id': PROJECT, 'auth_token': 't'}, 'oms', session=Exploding())
    with pytest.raises(HuaweiCloudError) as caught:
        client.get_json('/v2/{project_id}/x')
    assert 'KeyError' in str(caught.value) and CANARY not in str(caught.value)
    assert caught.value.status is None and caught.value.url.endswith('/x')


# -- bodies cut off or trickled -------------------------------------------------------


class RawServer:
    """Loopback server answering each connection with ``script(connection_number) -> [(delay, bytes)]``."""

    def __init__(self, script):
        self.connections = 0
        self.sent = []
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.recv(65536)
                server.connections += 1
                sent = 0
                try:
                    for delay, data in script(server.connections):
                        time.sleep(delay)
                        self.request.sendall(data)
                        sent += len(data)
                except OSError:
                    pass
                server.sent.append(sent)
                try:
                    self.request.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        self.httpd = socketserver.ThreadingTCPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.01}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


BODY = b'{"sync_task_id": "t", "status": "SYNCHRONIZING"}'


BODY_LENGTH = len(BODY)


def _head(request_id, length=BODY_LENGTH, status='200 OK'):
    return (
        'HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nX-Request-Id: %s\r\nConnection: close\r\n\r\n' % (status, length, request_id)
    ).encode('ascii')


@pytest.fixture
def raw_server():
    servers = []

    def start(script):
        servers.append(RawServer(script))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _client(url, **params):
    base = {'endpoint': url, 'project_id': PROJECT, 'auth_token': 'token-value', 'retries': 2, 'timeout': 1}
    base.update(params)
    return HuaweiCloudClient(base, 'oms')


def test_cut_off_body_is_retried(raw_server):
    server = raw_server(lambda number: [(0, _head('rid-%d' % number) + (BODY[:10] if number == 1 else BODY))])
    body, meta = _client(server.url).get_json('/v2/{project_id}/sync-tasks/t')
    assert body['status'] == 'SYNCHRONIZING' and meta['request_id'] == 'rid-2'
    assert server.connections == 2


def test_body_cut_off_every_time_fails_with_its_request_id(raw_server, fake_time):
    server = raw_server(lambda number: [(0, _head('rid-%d' % number) + BODY[:10])])
    with pytest.raises(HuaweiCloudError) as caught:
        _client(server.url).get_json('/v2/{project_id}/sync-tasks/t')
    err = caught.value
    assert err.code == 'IncompleteResponse' and err.status == 200 and err.request_id == 'rid-3'
    assert 'the response body was cut off after' in str(err) and 'of %d bytes (3 attempts)' % len(BODY) in str(err)
    assert server.connections == 3 and len(fake_time.sleeps) == 2


def test_trickling_body_is_cut_at_the_attempt_deadline(raw_server):
    # One byte every 0.2 s would take 10 s; the attempt's limit is the 1 s timeout.
    server = raw_server(lambda number: [(0, _head('rid-%d' % number))] + [(0.2, BODY[i : i + 1]) for i in range(50)])
    with pytest.raises(HuaweiCloudError) as caught:
        _client(server.url, retries=0).get_json('/v2/{project_id}/sync-tasks/t')
    err = caught.value
    assert err.code == 'IncompleteResponse' and err.request_id == 'rid-1'
    assert 'did not arrive within 1.0 s' in str(err)
    assert server.connections == 1


def test_read_body_of_a_complete_answer(raw_server):
    requests = pytest.importorskip('requests')
    server = raw_server(lambda number: [(0, _head('rid'))] + [(0, BODY)])
    response = requests.get(server.url, stream=True, timeout=5)
    assert _transport.read_body(response, 5) == BODY
    assert _transport.read_body(response, 5) == BODY  # a second read gives the same bytes, not an empty stream


# -- fail fast ------------------------------------------------------------------------


def _fetcher(failing, calls):
    def fetch(item):
        calls.append(item)
        if item in failing:
            raise HuaweiCloudError('down', status=503, code='OMS.2004')
        return item

    return fetch


def _bare_client(concurrency=1):
    return HuaweiCloudClient({'endpoint': 'http://127.0.0.1:1', 'project_id': PROJECT, 'auth_token': 't', 'max_concurrency': concurrency}, 'oms')


def test_fetch_many_stops_after_consecutive_server_failures():
    calls = []
    items = list(range(10))
    outcomes = _bare_client().fetch_many(_fetcher(set(items), calls), items, fail_fast_after=3)
    assert calls == [0, 1, 2]
    assert [type(outcome).__name__ for _item, outcome in outcomes] == ['HuaweiCloudError'] * 3 + ['NotAttemptedError'] * 7
    skipped = outcomes[5][1]
    assert 'not attempted: the service failed 3 times in a row' in str(skipped) and 'HTTP 503' in str(skipped)


def test_a_success_or_a_client_error_resets_the_streak():
    calls = []
    failing = {0, 1, 3, 4, 6, 7}
    outcomes = _bare_client().fetch_many(_fetcher(failing, calls), list(range(9)), fail_fast_after=3)
    assert calls == list(range(9))
    assert not any(isinstance(outcome, NotAttemptedError) for _item, outcome in outcomes)


def test_fail_fast_with_concurrency_bounds_the_reads():
    calls = []
    items = list(range(64))
    outcomes = _bare_client(concurrency=8).fetch_many(_fetcher(set(items), calls), items, fail_fast_after=5)
    # At most the reads in flight when the fifth failure came back, not 64.
    assert 5 <= len(calls) <= 5 + 8
    assert sum(isinstance(outcome, NotAttemptedError) for _item, outcome in outcomes) == 64 - len(calls)


@pytest.mark.parametrize('status, expected', [(None, True), (429, True), (500, True), (503, True), (404, False), (401, False), (400, False)])
def test_what_counts_as_a_server_failure(status, expected):
    assert server_failure(HuaweiCloudError('x', status=status)) is expected
