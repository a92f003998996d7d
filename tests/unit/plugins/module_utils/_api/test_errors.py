# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every error body shape of api-notes.md becomes one HuaweiCloudError."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError, ParameterError, parse_error_response, scrub_userinfo


def _body(document):
    return json.dumps(document).encode('utf-8')


@pytest.mark.parametrize(
    'status, document, code, message',
    [
        (400, {'error_code': 'OMS.0054', 'error_msg': 'Invalid task ID.'}, 'OMS.0054', 'Invalid task ID.'),
        (400, {'error_code': 'ModelArts.4352', 'error_message': 'Dataset does not exist.'}, 'ModelArts.4352', 'Dataset does not exist.'),
        (403, {'errorCode': 'X.403', 'errorMsg': 'denied'}, 'X.403', 'denied'),
        (409, {'code': 'Y.1', 'message': 'conflict'}, 'Y.1', 'conflict'),
        (400, {'error': {'error_code': 'OMS.1003', 'error_msg': 'constraint'}}, 'OMS.1003', 'constraint'),
        (400, {'result': {'errorCode': 'Z.9', 'errorMsg': 'nested camel'}}, 'Z.9', 'nested camel'),
        (
            401,
            {'error': {'code': 401, 'message': 'The request you have made requires authentication.', 'title': 'Unauthorized'}},
            None,
            'The request you have made requires authentication.',
        ),
        (401, {'error': {'code': 401, 'title': 'Unauthorized'}}, None, 'Unauthorized'),
        (
            429,
            {
                'error_code': 'APIGW.0308',
                'error_msg': 'The throttling threshold has been reached: policy user over ratelimit,limit:5,time:1 second',
                'request_id': 'body-rid-1',
            },
            'APIGW.0308',
            None,
        ),
        (503, {'error_code': 'OMS.2004'}, 'OMS.2004', None),
        (500, {'error_msg': 'only a message'}, None, 'only a message'),
    ],
)
def test_json_shapes(status, document, code, message):
    err = parse_error_response(status, {}, _body(document), method='GET', url='https://oms.x/v2/p/sync-tasks/t')
    assert isinstance(err, HuaweiCloudError)
    assert err.status == status
    assert err.code == code
    if message is not None:
        assert err.message == message
    assert err.message


def test_request_id_header_wins_over_body():
    document = {'error_code': 'APIGW.0301', 'error_msg': 'Incorrect IAM authentication information', 'request_id': 'from-body'}
    err = parse_error_response(401, {'X-Request-Id': 'from-header'}, _body(document))
    assert err.request_id == 'from-header'
    err = parse_error_response(401, {'x-request-id': 'lower'}, _body(document))
    assert err.request_id == 'lower'
    err = parse_error_response(401, {}, _body(document))
    assert err.request_id == 'from-body'


def test_nested_request_id():
    err = parse_error_response(400, {}, _body({'error': {'code': 'A', 'message': 'm', 'request_id': 'nested'}}))
    assert err.request_id == 'nested'


def test_html_body_gives_a_short_excerpt():
    html = b'<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>' + b'x' * 1000 + b'</body></html>'
    err = parse_error_response(502, {}, html)
    assert err.code is None
    assert err.message.startswith('502 Bad Gateway 502 Bad Gateway')
    assert len(err.message) <= 203
    assert '<' not in err.message


def test_empty_body_gives_the_status_line():
    assert parse_error_response(503, {}, b'').message == 'HTTP 503 Service Unavailable'
    assert parse_error_response(418, {}, b'', reason="I'm a teapot").message == "HTTP 418 I'm a teapot"
    assert parse_error_response(599, {}, None).message == 'HTTP 599'


def test_json_without_known_fields_and_non_object_json():
    err = parse_error_response(500, {}, _body({'unexpected': 1}))
    assert err.code is None and 'unexpected' in err.message
    err = parse_error_response(500, {}, _body(['a', 'b']))
    assert err.message == '["a", "b"]'


def test_invalid_utf8_body():
    err = parse_error_response(500, {}, b'\xff\xfe broken')
    assert 'broken' in err.message


def test_str_is_one_line_with_everything():
    err = HuaweiCloudError(
        'Invalid\n task   ID.', status=400, code='OMS.0054', request_id='rid-1', method='GET', url='https://oms.cn-north-4.myhuaweicloud.com/v2/p/sync-tasks/t'
    )
    text = str(err)
    assert '\n' not in text
    assert text == ('GET https://oms.cn-north-4.myhuaweicloud.com/v2/p/sync-tasks/t failed: HTTP 400 OMS.0054: Invalid task ID. (request id rid-1)')
    assert err.to_dict() == {
        'status': 400,
        'error_code': 'OMS.0054',
        'error_msg': 'Invalid\n task   ID.',
        'request_id': 'rid-1',
        'method': 'GET',
        'url': 'https://oms.cn-north-4.myhuaweicloud.com/v2/p/sync-tasks/t',
    }


def test_transport_error_text():
    err = HuaweiCloudError('ConnectionError: refused', method='GET', url='http://127.0.0.1:1/x')
    assert str(err) == 'GET http://127.0.0.1:1/x failed: no HTTP response: ConnectionError: refused'
    assert err.to_dict()['status'] is None


def test_parameter_error_is_both_kinds():
    err = ParameterError('sync_task_id must not contain control characters', name='sync_task_id')
    assert isinstance(err, HuaweiCloudError) and isinstance(err, ValueError)
    assert str(err) == 'sync_task_id must not contain control characters'
    assert err.code == 'InvalidParameter'


def test_scrub_userinfo():
    text = "ProxyError('Cannot connect to proxy http://bob:s3cret@proxy.local:3128')"
    assert 's3cret' not in scrub_userinfo(text)
    assert 'http://***@proxy.local:3128' in scrub_userinfo(text)
