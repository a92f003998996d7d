"""HTTP server: routing, the gateway's checks, faults, the contract guard, the log."""

import json
import socket
import struct
import sys
import threading
import time
import traceback
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, unquote_plus

from . import auth, control, group_writes, iam, modelarts, obs, oms, oms_tasks, rewrite, sync_writes, task_updates, writes
from . import scenario as scenario_format
from .contract import Contract, load_schemas
from .replies import Reply, RequestContext, gateway_error, iam_error, service_error
from .state import State
from .timeexpr import now_ms

MAX_BODY = 1024 * 1024
REQUEST_LOG_SIZE = 5000

# Route table on the raw path split at '/'; "*" takes one path segment, decoded once.
# (name, method, pattern, handler, auth: None | "any" | forbidden code for projects)
ROUTES = (
    (
        ('list_sync_tasks', 'GET', ('v2', '*', 'sync-tasks'), oms.list_sync_tasks, oms.FORBIDDEN_CODE),
        ('show_sync_task', 'GET', ('v2', '*', 'sync-tasks', '*'), oms.show_sync_task, oms.FORBIDDEN_CODE),
        ('list_sync_task_statistic', 'GET', ('v2', '*', 'sync-tasks', '*', 'statistics'), oms.list_sync_task_statistic, oms.FORBIDDEN_CODE),
        ('list_tasks', 'GET', ('v2', '*', 'tasks'), oms_tasks.list_tasks, oms.FORBIDDEN_CODE),
        ('show_task', 'GET', ('v2', '*', 'tasks', '*'), oms_tasks.show_task, oms.FORBIDDEN_CODE),
        ('list_task_group', 'GET', ('v2', '*', 'taskgroups'), oms_tasks.list_task_group, oms.FORBIDDEN_CODE),
        ('show_task_group', 'GET', ('v2', '*', 'taskgroups', '*'), oms_tasks.show_task_group, oms.FORBIDDEN_CODE),
        ('show_dataset_sync_status', 'GET', ('v2', '*', 'datasets', '*', 'sync-data', 'status'), modelarts.show_dataset_sync_status, modelarts.FORBIDDEN_CODE),
        ('iam_create_token', 'POST', ('v3', 'auth', 'tokens'), iam.create_token, None),
        ('iam_list_projects', 'GET', ('v3', 'projects'), iam.list_projects, 'any'),
        ('iam_list_auth_projects', 'GET', ('v3', 'auth', 'projects'), iam.list_auth_projects, 'any'),
    )
    + writes.ROUTES
    + group_writes.ROUTES
    + sync_writes.ROUTES
    + task_updates.ROUTES
)
# The writes, whose request bodies the request log keeps (credentials redacted).
_LOGGED_ROUTES = frozenset(route[0] for route in writes.ROUTES + group_writes.ROUTES + sync_writes.ROUTES + task_updates.ROUTES)
_ROUTES_BY_LENGTH = {}
for _route in ROUTES:
    _ROUTES_BY_LENGTH.setdefault(len(_route[2]), []).append(_route)

# Which service answers a fault on a route, for the default error bodies.
_SERVICE = {'show_dataset_sync_status': 'modelarts', 'iam_create_token': 'iam', 'iam_list_projects': 'iam', 'iam_list_auth_projects': 'iam'}
_CONTRACT_BREAKS = {
    'show_sync_task': ('monthly_size', 'many'),
    'list_sync_tasks': ('count', 'many'),
    'list_sync_task_statistic': ('statistic_time_type', 'TEN_MINUTES'),
    'show_dataset_sync_status': ('status', 'DONE'),
    'show_task': ('status', 'RUNNING'),
    'list_tasks': ('tasks', 'none'),
    'show_task_group': ('status', 'DONE'),
    'list_task_group': ('taskgroups', 'none'),
    'iam_create_token': ('token', 'none'),
    'iam_list_projects': ('projects', 'none'),
    'iam_list_auth_projects': ('projects', 'none'),
}
_PRE_FAULTS = ('throttle', 'error', 'connection_reset', 'non_json', 'rate_limit', 'token_expired')


def match_route(raw_path, method):
    """Return (route, [decoded path parameters]) or (None, None)."""
    parts = raw_path.split('/')
    if len(parts) < 2 or parts[0] != '':
        return None, None
    parts = parts[1:]
    for route in _ROUTES_BY_LENGTH.get(len(parts), ()):
        if route[1] != method:
            continue
        params = []
        for want, got in zip(route[2], parts):
            if want == '*':
                params.append(unquote(got))
            elif want != got:
                break
        else:
            return route, params
    return None, None


def parse_query(raw_query):
    """Query parameters, first value of each name, decoded."""
    query = {}
    if raw_query:
        for part in raw_query.split('&'):
            if not part:
                continue
            key, _sep, value = part.partition('=')
            query.setdefault(unquote_plus(key), unquote_plus(value))
    return query


class Emulator(object):
    """The running emulator: scenario state, contract, request log, options."""

    def __init__(self, scenario_path=None, scenario_data=None, schemas_path=None, access_log=False):
        self.scenario_path = scenario_path
        self.scenario_data = scenario_data
        self.contract = Contract(load_schemas(schemas_path))
        self.request_log = deque(maxlen=REQUEST_LOG_SIZE)
        self.access_log = access_log
        self.observer = None
        self.started = time.time()
        self.state = self._load()

    def _load(self):
        if self.scenario_path is not None:
            data = scenario_format.load_file(self.scenario_path)
        else:
            data = scenario_format.check(self.scenario_data or {}, 'scenario')
        return State(data)

    def reset(self):
        """Reload the scenario; faults, issued tokens, poll counts and the log start over."""
        state = self._load()
        self.state = state
        self.request_log.clear()

    def health(self):
        """What GET /_emulator/health answers."""
        state = self.state
        return {
            'status': 'ok',
            'scenario': str(self.scenario_path) if self.scenario_path else None,
            'uptime_s': round(time.time() - self.started, 3),
            'projects': list(state.projects),
            'sync_tasks': len(state.tasks),
            'datasets': len(state.datasets),
            'migration_tasks': len(state.migration.tasks),
            'task_groups': len(state.migration.groups),
            'faults': len(state.faults),
            'requests_logged': len(self.request_log),
        }


class RequestHandler(BaseHTTPRequestHandler):
    """One connection; HTTP/1.1 keep-alive with an exact Content-Length on every answer."""

    protocol_version = 'HTTP/1.1'
    server_version = 'hwc-emulator/0.1'
    sys_version = ''

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def log_message(self, format, *args):  # noqa: A002 - name fixed by the base class
        if self.server.emulator.access_log:
            sys.stderr.write('%s - %s\n' % (self.address_string(), format % args))

    def do_GET(self):
        self._serve()

    def do_HEAD(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def do_PUT(self):
        self._serve()

    def do_DELETE(self):
        self._serve()

    def do_PATCH(self):
        self._serve()

    # -------------------------------------------------------------------------

    def _serve(self):
        started = time.monotonic()
        self._logged_body = None
        emulator = self.server.emulator
        state = emulator.state
        request_id = uuid.uuid4().hex
        raw_path, _sep, raw_query = self.path.partition('?')
        length = self.headers.get('Content-Length')
        try:
            length = int(length) if length else 0
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._send(
                gateway_error(413 if length > 0 else 400, 'APIGW.0201', 'Request body too large or Content-Length invalid.', request_id),
                request_id,
                None,
                started,
                'none',
                None,
                (),
            )
            return
        body = self.rfile.read(length) if length else b''
        ctx = RequestContext(state, self.command, raw_path, raw_query, parse_query(raw_query), self.headers, body, now_ms(), request_id)
        if raw_path == '/_emulator' or raw_path.startswith('/_emulator/'):
            segments = [s for s in raw_path.split('/')[2:] if s != '']
            reply = control.handle(emulator, ctx, segments)
            self._send(reply, request_id, 'control', started, 'none', None, ())
            return
        if obs.is_obs_path(raw_path):
            reply, name, principal = obs.handle(ctx)
            self._send(reply, request_id, name, started, 'obs' if principal else 'refused', principal, ())
            return
        route, params = match_route(raw_path, self.command)
        if route is None:
            self._send(
                gateway_error(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment.', request_id),
                request_id,
                None,
                started,
                'none',
                None,
                (),
            )
            return
        name = route[0]
        if name in _LOGGED_ROUTES:
            self._logged_body = writes.logged_body(body)
        pre_fault, post_faults = self._faults(state, name, raw_path)
        fired = tuple(f.kind for f in ([pre_fault] if pre_fault else []) + post_faults)
        if pre_fault is not None:
            self._apply_pre_fault(pre_fault, name, request_id, started, fired)
            return
        auth_kind, principal = 'none', None
        try:
            reply = None
            if route[4] is not None:
                ctx.principal = auth.authenticate(state, self.command, raw_path, raw_query, self.headers, body, ctx.now)
                auth_kind, principal = ctx.principal.kind, ctx.principal.name
                if route[4] != 'any':
                    auth.authorize_project(state, ctx.principal, params[0], route[4])
        except auth.AuthFailure as failure:
            reply = gateway_error(failure.status, failure.code, failure.message, request_id)
            if failure.code not in ('APIGW.0301', 'APIGW.0302', 'APIGW.0303', 'APIGW.0307'):
                reply = service_error(failure.status, failure.code, failure.message)
            if auth_kind == 'none':
                auth_kind = 'refused'
        rewrites = [f.spec for f in post_faults if f.kind == 'rewrite']
        if reply is None:
            for spec in rewrites:
                ctx.query = rewrite.apply_query(spec, ctx.query)
            try:
                reply = route[3](ctx, *params)
            except Exception:  # an emulator bug must still answer, loudly
                traceback.print_exc()
                reply = service_error(500, 'EMULATOR.0500', 'Internal emulator error, see its stderr.')
        for fault in post_faults:
            if fault.kind == 'contract_break' and reply.status < 300 and isinstance(reply.body, dict):
                field, value = _CONTRACT_BREAKS.get(name, ('status', 12345))
                reply.body = dict(reply.body)
                reply.body[fault.spec.get('field', field)] = fault.spec.get('value', value)
                reply.bypass_contract = True
        for spec in rewrites:
            rewrite.apply(spec, reply)
        truncate = any(f.kind == 'truncated_body' for f in post_faults)
        trickle = next((f.spec for f in post_faults if f.kind == 'trickle'), None)
        self._send(reply, request_id, name, started, auth_kind, principal, fired, truncate=truncate, trickle=trickle)

    def _faults(self, state, name, raw_path):
        pre, post, delay = None, [], 0
        for fault in state.faults:
            if not fault.matches(name, raw_path, self.command):
                continue
            if fault.kind in _PRE_FAULTS and pre is not None:
                continue
            if not fault.fires():
                continue
            if fault.kind == 'latency':
                delay += fault.spec.get('ms', 100)
            elif fault.kind in _PRE_FAULTS:
                pre = fault
            else:
                post.append(fault)
        if delay:
            time.sleep(delay / 1000.0)
        return pre, post

    def _apply_pre_fault(self, fault, name, request_id, started, fired):
        spec = fault.spec
        kind = fault.kind
        service = _SERVICE.get(name, 'oms')
        if kind == 'connection_reset':
            self._log(request_id, name, 0, started, 'none', None, fired)
            self._reset_connection()
            return
        if kind == 'non_json':
            status = spec.get('status', 502)
            raw = spec.get('body', '<html><head><title>%d Bad Gateway</title></head><body><h1>%d Bad Gateway</h1></body></html>' % (status, status))
            reply = Reply(status, raw=raw.encode('utf-8'), content_type=spec.get('content_type', 'text/html'))
            reply.bypass_contract = True
            self._send(reply, request_id, name, started, 'none', None, fired)
            return
        if kind == 'token_expired':
            # What API Gateway answers once a token's 24 hours are up.
            reply = gateway_error(401, 'APIGW.0307', 'Incorrect IAM authentication information: token expires', request_id)
            self._send(reply, request_id, name, started, 'refused', None, fired)
            return
        if kind in ('throttle', 'rate_limit'):
            status = spec.get('status', 429)
            retry_after = spec.get('retry_after', 1)
            limit = spec.get('limit', 10)
            message = spec.get('error_msg', 'The throttling threshold has been reached: policy user over ratelimit,limit:%d,time:1 second' % limit)
            code = spec.get('error_code', 'APIGW.0308')
            if code.startswith('APIGW.'):
                reply = gateway_error(status, code, message, request_id)
            else:
                reply = service_error(status, code, message)
            if retry_after is not None and str(retry_after) != '':
                reply.headers['Retry-After'] = str(retry_after)
            self._send(reply, request_id, name, started, 'none', None, fired)
            return
        # kind == "error"
        status = spec.get('status', 500)
        default_code, default_msg = _default_error(service, status)
        code = spec.get('error_code', default_code)
        message = spec.get('error_msg', default_msg)
        if service == 'iam' and 'error_code' not in spec:
            reply = iam_error(status, message)
        elif code.startswith('APIGW.'):
            reply = gateway_error(status, code, message, request_id)
        else:
            reply = service_error(status, code, message)
        if 'retry_after' in spec:
            reply.headers['Retry-After'] = str(spec['retry_after'])
        self._send(reply, request_id, name, started, 'none', None, fired)

    def _reset_connection(self):
        # SO_LINGER with a zero timeout turns close() into a TCP reset.
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        except OSError:
            pass
        try:
            self.rfile.close()
            self.connection.close()
        except OSError:
            pass

    def _send(self, reply, request_id, route_name, started, auth_kind, principal, fired, truncate=False, trickle=None):
        emulator = self.server.emulator
        if reply.raw is not None:
            payload = reply.raw
        else:
            payload = json.dumps(reply.body, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
            if reply.schema and not reply.bypass_contract:
                problems = emulator.contract.violations(reply.schema, reply.body, payload)
                if problems:
                    sys.stderr.write('hwc-emulator: contract violation on %s (%s): %s\n' % (self.path, reply.schema, '; '.join(problems)))
                    reply = service_error(
                        500,
                        'EMULATOR.CONTRACT',
                        'hwc-emulator refused to send an answer that breaks the API contract (%s): %s' % (reply.schema, '; '.join(problems)),
                    )
                    payload = json.dumps(reply.body, separators=(',', ':')).encode('utf-8')
        status = reply.status
        reason = self.responses.get(status, ('Unknown',))[0]
        lines = [
            'HTTP/1.1 %d %s' % (status, reason),
            'Server: %s' % self.server_version,
            'Date: %s' % self.date_time_string(),
            'Content-Type: %s' % reply.content_type,
            'Content-Length: %d' % len(payload),
            'X-Request-Id: %s' % request_id,
        ]
        for key, value in reply.headers.items():
            lines.append('%s: %s' % (key, value))
        if truncate or self.close_connection:
            self.close_connection = True
            lines.append('Connection: close')
        else:
            lines.append('Connection: keep-alive')
        head = ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1')
        if truncate:
            payload = payload[: len(payload) // 2]
        # Logged before the answer leaves: a client that reads the log right after its
        # answer arrived must find the call there.
        if route_name != 'control':  # the log is about the emulated APIs only
            self._log(request_id, route_name, status, started, auth_kind, principal, fired)
        if self.command == 'HEAD':
            payload = b''  # the headers say what a GET would answer
        try:
            if trickle is not None:
                self._trickle(head, payload, trickle)
            else:
                self.wfile.write(head + payload)
        except OSError:
            self.close_connection = True
        observer = emulator.observer
        if observer is not None:
            observer(
                {
                    'route': route_name,
                    'status': status,
                    'schema': reply.schema,
                    'bypass_contract': reply.bypass_contract or truncate,
                    'content_type': reply.content_type,
                    'body': payload,
                    'request_id': request_id,
                }
            )

    def _trickle(self, head, payload, spec):
        """Headers at once, then the body ``chunk_bytes`` at a time every ``ms`` milliseconds."""
        self.wfile.write(head)
        self.wfile.flush()
        step = spec.get('chunk_bytes', 1)
        pause = spec.get('ms', 500) / 1000.0
        for offset in range(0, len(payload), step):
            time.sleep(pause)
            self.wfile.write(payload[offset : offset + step])
            self.wfile.flush()

    def _log(self, request_id, route_name, status, started, auth_kind, principal, fired):
        emulator = self.server.emulator
        raw_path, _sep, raw_query = self.path.partition('?')
        emulator.request_log.append(
            {
                'time': now_ms(),
                'request_id': request_id,
                'method': self.command,
                'path': raw_path,
                'query': parse_query(raw_query),
                'route': route_name,
                'status': status,
                'auth': auth_kind,
                'principal': principal,
                'faults': list(fired),
                'duration_ms': round((time.monotonic() - started) * 1000.0, 3),
                # A write's body with its credentials redacted (None for reads).
                'body': getattr(self, '_logged_body', None),
            }
        )
        if emulator.access_log:
            sys.stderr.write('%s %s %s %d\n' % (request_id, self.command, self.path, status))


def _default_error(service, status):
    if service == 'modelarts':
        if status == 429:
            return 'ModelArts.6101', 'The system is busy. Try again later.'
        return 'ModelArts.4360', 'Internal error while reading the dataset sync status.'
    if service == 'iam':
        return 'IAM.0001', 'Internal server error.'
    if status == 503:
        return 'OMS.2004', 'The service is temporarily unavailable.'
    return 'OMS.1001', 'Internal error.'


class EmulatorHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer whose handler threads never block shutdown."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, emulator):
        if ':' in address[0]:
            self.address_family = socket.AF_INET6
        ThreadingHTTPServer.__init__(self, address, RequestHandler)
        self.emulator = emulator

    def handle_error(self, request, client_address):
        # Clients that vanish mid-answer are normal under fault injection.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, OSError)):
            return
        ThreadingHTTPServer.handle_error(self, request, client_address)


def start_in_thread(emulator, host='127.0.0.1', port=0):
    """Start a server in a daemon thread; returns (server, base_url). For tests."""
    server = EmulatorHTTPServer((host, port), emulator)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True)
    thread.start()
    return server, base_url(server)


def base_url(server):
    """http://HOST:PORT of a bound server."""
    host, port = server.server_address[:2]
    if ':' in host:
        host = '[%s]' % host
    return 'http://%s:%d' % (host, port)
