# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``ObsClient`` against a scripted loopback server: where requests go, what they sign, how answers fail."""

from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from sdk_oracle import ObsAdapter, ObsAuthentication

from ansible_collections.hwcloud.migration.plugins.module_utils._api.client import HuaweiCloudClient
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._api.options import OptionError
from ansible_collections.hwcloud.migration.plugins.module_utils._obs.client import ObsClient, check_bucket, check_key, parse_obs_error

AK = 'OBSAKEXAMPLE0001'
SK = 'obs+secret/with~odd%chars é'
TOKEN = 'temporary-token-0123456789'
ERROR_XML = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><RequestId>body-rid</RequestId><HostId>h</HostId></Error>'


def _api(endpoint, **extra):
    params = dict(region='cn-north-4', project_id='p1', access_key='APIAK', secret_key='api-secret', endpoint=endpoint, retries=2, timeout=5)
    params.update(extra)
    return HuaweiCloudClient(params, 'oms')


def _obs(fake_server, **kwargs):
    kwargs.setdefault('endpoint', fake_server.url)
    return ObsClient(_api(fake_server.url), access_key=AK, secret_key=SK, **kwargs)


def _sdk_authorization(recorded, bucket, key, path_style=True):
    headers = dict(recorded.headers)
    query = dict(parse_qsl(urlsplit(recorded.path).query, keep_blank_values=True))
    auth = ObsAuthentication(AK, SK, path_style, ObsAdapter('obs'), None, False)
    return auth.doAuth(recorded.method, bucket, key, query, headers)['Authorization']


def test_get_object_path_style_is_signed_as_the_sdk_signs_it(fake_server):
    fake_server.handler = lambda request: (206, {'Content-Range': 'bytes 0-4/5', 'x-obs-request-id': 'rid-1'}, b'a\tb\n\n')
    obs = _obs(fake_server, security_token=TOKEN)
    read = obs.get_object('dst-bucket', 'cn-north-4', 'oms/task/t 1/failed_object_lists/2024+x~%.failed_list.txt', max_bytes=1024)
    assert (read.content, read.size, read.complete) == (b'a\tb\n\n', 5, True)
    assert read.meta['request_id'] == 'rid-1'
    recorded = fake_server.requests[0]
    path = urlsplit(recorded.path).path
    assert path == '/dst-bucket/oms/task/t%201/failed_object_lists/2024%2Bx~%25.failed_list.txt'
    assert recorded.header('Range') == 'bytes=0-1023'
    assert recorded.header('x-obs-security-token') == TOKEN
    assert recorded.header('Authorization') == _sdk_authorization(recorded, 'dst-bucket', unquote(path.split('/', 2)[2]))


def test_range_read_of_a_larger_object_is_incomplete(fake_server):
    fake_server.handler = lambda request: (206, {'Content-Range': 'bytes 0-3/100'}, b'abcd')
    read = _obs(fake_server).get_object('dst-bucket', None, 'k.txt', max_bytes=4)
    assert (read.content, read.size, read.complete) == (b'abcd', 100, False)


@pytest.mark.parametrize('content_range', [None, 'bytes 0-9/100', 'bytes 5-8/100', 'items 0-3/4'])
def test_a_range_answer_that_does_not_add_up_fails_closed(fake_server, content_range):
    headers = {'Content-Range': content_range} if content_range else {}
    fake_server.handler = lambda request: (206, headers, b'abcd')
    with pytest.raises(HuaweiCloudError) as caught:
        _obs(fake_server).get_object('dst-bucket', None, 'k.txt', max_bytes=4)
    assert caught.value.code == 'InvalidResponse'


def test_empty_object_answers_416_and_reads_as_empty(fake_server):
    fake_server.handler = lambda request: (416, {'Content-Range': 'bytes */0'}, ERROR_XML % ('InvalidRange', 'x'))
    read = _obs(fake_server).get_object('dst-bucket', None, 'k.txt', max_bytes=4)
    assert (read.content, read.size, read.complete) == (b'', 0, True)


def test_error_xml_gives_status_code_and_request_id(fake_server):
    fake_server.handler = lambda request: (404, {'x-obs-request-id': 'rid-404'}, ERROR_XML % ('NoSuchKey', 'The specified key does not exist.'))
    with pytest.raises(HuaweiCloudError) as caught:
        _obs(fake_server).get_object('dst-bucket', None, 'missing.txt', max_bytes=10)
    err = caught.value
    assert (err.status, err.code, err.request_id, err.method) == (404, 'NoSuchKey', 'rid-404', 'GET')
    assert 'does not exist' in str(err) and err.url.endswith('/dst-bucket/missing.txt')


def test_an_echoed_secret_is_masked_in_the_error(fake_server):
    fake_server.handler = lambda request: (403, {}, ERROR_XML % ('SignatureDoesNotMatch', 'expected with %s and %s' % (SK, TOKEN)))
    with pytest.raises(HuaweiCloudError) as caught:
        _obs(fake_server, security_token=TOKEN).get_object('dst-bucket', None, 'k.txt', max_bytes=10)
    text = str(caught.value) + repr(caught.value.to_dict())
    assert SK not in text and TOKEN not in text and caught.value.code == 'SignatureDoesNotMatch'
    assert caught.value.request_id == 'body-rid'


def test_server_errors_are_retried_and_each_attempt_signed_anew(fake_server, fake_time):
    answers = [(503, {}, ERROR_XML % ('ServiceUnavailable', 'busy')), (206, {'Content-Range': 'bytes 0-0/1'}, b'x')]
    fake_server.handler = lambda request: answers.pop(0)
    read = _obs(fake_server).get_object('dst-bucket', None, 'k.txt', max_bytes=10)
    assert read.content == b'x' and len(fake_server.requests) == 2 and len(fake_time.sleeps) == 1
    for recorded in fake_server.requests:
        assert recorded.header('Authorization') == _sdk_authorization(recorded, 'dst-bucket', 'k.txt')


def test_a_non_xml_error_body_gives_an_excerpt(fake_server):
    fake_server.handler = lambda request: (502, {}, '<html><body>Bad Gateway</body></html>')
    with pytest.raises(HuaweiCloudError) as caught:
        _obs(fake_server).get_object('dst-bucket', None, 'k.txt', max_bytes=10)
    assert caught.value.status == 502 and caught.value.code is None and 'Bad Gateway' in caught.value.message


def _listing(keys, truncated, next_marker=None):
    contents = ''.join('<Contents><Key>%s</Key><Size>%d</Size></Contents>' % (key, size) for key, size in keys)
    marker = '<NextMarker>%s</NextMarker>' % next_marker if next_marker else ''
    return (
        '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://obs.myhwclouds.com/doc/2015-06-30/">'
        '<Name>dst-bucket</Name><Prefix>p/</Prefix><MaxKeys>1000</MaxKeys><IsTruncated>%s</IsTruncated>%s%s</ListBucketResult>'
        % ('true' if truncated else 'false', marker, contents)
    )


def test_list_objects_follows_every_page(fake_server):
    pages = {None: _listing([('p/a.failed_list.txt', 10), ('p/b.txt', 3)], True, 'p/b.txt'), 'p/b.txt': _listing([('p/c.failed_list.txt', 7)], False)}
    fake_server.handler = lambda request: (200, {}, pages[dict(parse_qsl(urlsplit(request.path).query)).get('marker')])
    found = _obs(fake_server).list_objects('dst-bucket', None, 'p/')
    assert found == [{'key': 'p/a.failed_list.txt', 'size': 10}, {'key': 'p/b.txt', 'size': 3}, {'key': 'p/c.failed_list.txt', 'size': 7}]
    first = fake_server.requests[0]
    assert urlsplit(first.path).path == '/dst-bucket/' and dict(parse_qsl(urlsplit(first.path).query)) == {'prefix': 'p/', 'max-keys': '1000'}
    assert first.header('Authorization') == _sdk_authorization(first, 'dst-bucket', None)


@pytest.mark.parametrize(
    'body',
    [
        _listing([('p/a', 1)], True, 'p/a') + '',  # a marker that does not move after the first page
        '<ListBucketResult><Contents><Key>p/a</Key></Contents><IsTruncated>false</IsTruncated></ListBucketResult>',
        '<ListBucketResult><Contents><Key>p/a</Key><Size>1</Size></Contents></ListBucketResult>',
        '{"not": "xml"}',
    ],
)
def test_a_listing_that_cannot_be_followed_fails_closed(fake_server, body):
    fake_server.handler = lambda request: (200, {}, body)
    with pytest.raises(HuaweiCloudError) as caught:
        _obs(fake_server).list_objects('dst-bucket', None, 'p/')
    assert caught.value.code == 'InvalidResponse'


def test_virtual_hosted_by_default_and_path_style_from_the_environment(fake_server):
    obs = ObsClient(_api(fake_server.url), access_key=AK, secret_key=SK, environ={})
    assert obs.object_url('dst-bucket', 'cn-east-3', 'a b') == ('https://dst-bucket.obs.cn-east-3.myhuaweicloud.com/a%20b', False)
    environ = {'HUAWEICLOUD_SDK_REGION_OBS_CN_EAST_3': 'http://127.0.0.1:9/'}
    obs = ObsClient(_api(fake_server.url), access_key=AK, secret_key=SK, environ=environ)
    assert obs.object_url('dst-bucket', 'cn-east-3', 'k') == ('http://127.0.0.1:9/dst-bucket/k', True)
    assert obs.object_url('dst-bucket', 'cn-north-4', 'k')[1] is False


def test_a_bucket_with_dots_goes_path_style_to_the_regional_endpoint(fake_server):
    obs = ObsClient(_api(fake_server.url), access_key=AK, secret_key=SK, environ={})
    assert obs.object_url('logs.example', 'cn-east-3', 'k') == ('https://obs.cn-east-3.myhuaweicloud.com/logs.example/k', True)


@pytest.mark.parametrize('bucket', ['ab', 'UPPER', 'has_underscore', 'a..b', '-ab', 'x' * 64, 'evil.com/x', None, 7])
def test_bad_bucket_names_are_refused_before_a_request(fake_server, bucket):
    with pytest.raises(OptionError):
        _obs(fake_server).get_object(bucket, None, 'k', max_bytes=1)
    assert not fake_server.requests


@pytest.mark.parametrize('region', [None, 'evil.example.com/x', 'CN-NORTH-4', ''])
def test_a_region_that_is_no_region_id_is_refused_for_virtual_hosting(fake_server, region):
    obs = ObsClient(_api(fake_server.url), access_key=AK, secret_key=SK, environ={})
    with pytest.raises(OptionError):
        obs.object_url('dst-bucket', region, 'k')


@pytest.mark.parametrize('key', ['', 'line\nbreak', 'x' * 1025, None])
def test_bad_keys_are_refused(key):
    with pytest.raises(OptionError):
        check_key(key)


def test_valid_names_pass():
    assert check_bucket('a.b-c') == 'a.b-c' and check_key('oms/é') == 'oms/é'


@pytest.mark.parametrize('value', ['', 'with\nsecretvalue'])
def test_unusable_credentials_are_refused_without_quoting_them(fake_server, value):
    with pytest.raises(OptionError) as caught:
        ObsClient(_api(fake_server.url), access_key=AK, secret_key=value)
    assert 'secretvalue' not in str(caught.value)


def test_secrets_join_the_api_clients_set(fake_server):
    api = _api(fake_server.url)
    ObsClient(api, access_key=AK, secret_key=SK, security_token=TOKEN)
    assert {SK, TOKEN, 'api-secret'} <= api.secrets


def test_head_error_code_comes_from_the_header():
    err = parse_obs_error(404, {'x-obs-error-code': 'NoSuchKey', 'x-obs-request-id': 'r'}, b'', method='HEAD', url='u', reason='Not Found')
    assert (err.code, err.request_id, err.message) == ('NoSuchKey', 'r', 'HTTP 404 Not Found')


def test_a_later_part_asks_from_its_offset_if_the_object_is_unchanged(fake_server):
    fake_server.handler = lambda request: (206, {'Content-Range': 'bytes 5-7/8', 'ETag': '"e"'}, b'fgh')
    read = _obs(fake_server).get_object('dst-bucket', None, 'k.txt', max_bytes=4, start=5, if_match='"e"')
    assert (read.content, read.size, read.complete, read.etag) == (b'fgh', 8, True, '"e"')
    recorded = fake_server.requests[0]
    assert recorded.header('Range') == 'bytes=5-8' and recorded.header('If-Match') == '"e"'


@pytest.mark.parametrize('status, headers', [(206, {'Content-Range': 'bytes 0-2/8'}), (200, {})])
def test_a_later_part_from_another_offset_is_refused(fake_server, status, headers):
    fake_server.handler = lambda request: (status, headers, b'abc')
    with pytest.raises(HuaweiCloudError) as caught:
        _obs(fake_server).get_object('dst-bucket', None, 'k.txt', max_bytes=3, start=5)
    assert caught.value.code == 'InvalidResponse'


def test_a_changed_object_fails_with_precondition_failed(fake_server):
    fake_server.handler = lambda request: (412, {'x-obs-request-id': 'r412'}, ERROR_XML % ('PreconditionFailed', 'At least one of the pre-conditions failed.'))
    with pytest.raises(HuaweiCloudError) as caught:
        _obs(fake_server).get_object('dst-bucket', None, 'k.txt', max_bytes=3, start=5, if_match='"old"')
    assert (caught.value.status, caught.value.code, caught.value.request_id) == (412, 'PreconditionFailed', 'r412')


@pytest.fixture
def head_server():
    """A loopback server answering HEAD as OBS does: the headers of the GET, no body; 404 for any key but k.txt."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def do_HEAD(self):
            seen.append(dict(self.headers.items()))
            found = self.path.endswith('/k.txt')
            self.send_response(200 if found else 404)
            self.send_header('Content-Length', '1234' if found else '0')
            self.send_header('x-obs-request-id', 'rid-head')
            if not found:
                self.send_header('x-obs-error-code', 'NoSuchKey')
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.01}, daemon=True)
    thread.start()
    yield 'http://127.0.0.1:%d' % server.server_address[1], seen
    server.shutdown()
    server.server_close()


def test_head_object_reads_the_size_and_signs_head(head_server):
    url, seen = head_server
    obs = ObsClient(_api(url), access_key=AK, secret_key=SK, endpoint=url)
    meta = obs.head_object('dst-bucket', None, 'k.txt')
    assert meta['size'] == 1234 and meta['status'] == 200 and meta['request_id'] == 'rid-head'
    headers = seen[0]
    auth = ObsAuthentication(AK, SK, True, ObsAdapter('obs'), None, False).doAuth('HEAD', 'dst-bucket', 'k.txt', {}, dict(headers))
    assert headers['Authorization'] == auth['Authorization']
    with pytest.raises(HuaweiCloudError) as caught:
        obs.head_object('dst-bucket', None, 'gone.txt')
    assert (caught.value.status, caught.value.code, caught.value.request_id, caught.value.method) == (404, 'NoSuchKey', 'rid-head', 'HEAD')
