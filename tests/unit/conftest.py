# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit test setup: import the collection as ``ansible_collections.hwcloud.migration``.

The checkout is not laid out as ``ansible_collections/hwcloud/migration``, so a
temporary directory with that layout, symlinked to the checkout, is put first
on ``sys.path``.  Also provides a scripted local HTTP server and fakes for the
clock and sleeps of the transport, so no test talks to the network or sleeps.
"""

import atexit
import json
import os
import shutil
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _collection_root():
    if REPO.parent.name == 'hwcloud' and REPO.parent.parent.name == 'ansible_collections':
        return str(REPO.parents[2])
    root = tempfile.mkdtemp(prefix='hwcloud-migration-units-')
    atexit.register(shutil.rmtree, root, True)
    namespace = os.path.join(root, 'ansible_collections', 'hwcloud')
    os.makedirs(namespace)
    os.symlink(str(REPO), os.path.join(namespace, 'migration'))
    return root


sys.path.insert(0, _collection_root())


def pytest_configure(config):
    # Tests about secrets and untrusted data; `make security-matrix` runs them on ansible-core 2.16 too.
    config.addinivalue_line('markers', 'security: a security test (templating of untrusted data, secrets in output, credentials)')


# Variables a developer may have exported that would change what the code sees.
_ENV_PREFIXES = ('HW_', 'HUAWEICLOUD_SDK_', 'CLOUD_SDK_')


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No credentials or endpoints from the developer's shell; loopback never goes through a proxy."""
    for name in list(os.environ):
        if name.startswith(_ENV_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('NO_PROXY', '127.0.0.1,localhost')
    monkeypatch.setenv('no_proxy', '127.0.0.1,localhost')


class FakeTime:
    """A monotonic clock that only moves when the code under test sleeps; records every sleep."""

    def __init__(self, start=1000.0):
        self.now = start
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def fake_time(monkeypatch):
    """Patch the transport's clock and sleep (retry waits, rate limiter): nothing sleeps for real."""
    from ansible_collections.hwcloud.migration.plugins.module_utils._api import transport as _transport

    fake = FakeTime()
    monkeypatch.setattr(_transport, '_clock', fake.clock)
    monkeypatch.setattr(_transport, '_wait', fake.sleep)
    return fake


class Recorded:
    """One request as the fake server saw it."""

    def __init__(self, method, path, headers, body):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


class FakeServer:
    """A loopback HTTP server whose answers come from ``handler(recorded) -> (status, headers, body)``.

    ``body`` may be bytes, str, or a JSON-serialisable object.  Every request
    is appended to ``requests``.
    """

    def __init__(self):
        self.requests = []
        self.handler = lambda request: (200, {}, {})
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def _serve(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else b''
                recorded = Recorded(self.command, self.path, list(self.headers.items()), body)
                with fake._lock:
                    fake.requests.append(recorded)
                status, headers, payload = fake.handler(recorded)
                if not isinstance(payload, (bytes, str)):
                    payload = json.dumps(payload)
                    headers = dict({'Content-Type': 'application/json'}, **headers)
                if isinstance(payload, str):
                    payload = payload.encode('utf-8')
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header('Content-Length', str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.01}, daemon=True)
        self._thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def fake_server():
    """A running :class:`FakeServer`; set ``fake_server.handler``."""
    server = FakeServer()
    yield server
    server.close()
