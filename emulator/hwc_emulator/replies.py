"""What a route hands back to the server, and the error bodies of each service."""

from collections import OrderedDict


class Reply(object):
    """A response before encoding: status, JSON body (or raw bytes) and contract schema.

    ``schema`` names the SCHEMAS entry the body must honour (None: not checked).
    """

    __slots__ = ('status', 'body', 'schema', 'headers', 'raw', 'content_type', 'bypass_contract')

    def __init__(self, status, body=None, schema=None, headers=None, raw=None, content_type='application/json;charset=UTF-8'):
        self.status = status
        self.body = body
        self.schema = schema
        self.headers = headers or {}
        self.raw = raw
        self.content_type = content_type
        self.bypass_contract = False


class RequestContext(object):
    """The parsed request a route works from."""

    __slots__ = ('state', 'method', 'raw_path', 'raw_query', 'query', 'headers', 'body', 'now', 'request_id', 'principal', 'params')

    def __init__(self, state, method, raw_path, raw_query, query, headers, body, now, request_id):
        self.state = state
        self.method = method
        self.raw_path = raw_path
        self.raw_query = raw_query
        self.query = query
        self.headers = headers
        self.body = body
        self.now = now
        self.request_id = request_id
        self.principal = None
        self.params = {}


def service_error(status, code, message):
    """OMS and ModelArts error body: ``{"error_code", "error_msg"}``."""
    return Reply(status, OrderedDict((('error_code', code), ('error_msg', message))), schema='OmsErrorResponse')


def gateway_error(status, code, message, request_id):
    """API gateway error body: the service shape plus ``request_id``."""
    body = OrderedDict((('error_code', code), ('error_msg', message), ('request_id', request_id)))
    return Reply(status, body, schema='OmsErrorResponse')


_IAM_TITLES = {400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found'}


def iam_error(status, message):
    """IAM (Keystone) error body."""
    body = {'error': OrderedDict((('code', status), ('message', message), ('title', _IAM_TITLES.get(status, 'Error'))))}
    return Reply(status, body, schema='IamErrorResponse')
