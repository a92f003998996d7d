"""Run hwc-emulator as a child process: for tests, benchmarks and demos.

The one place that knows how to start the emulator on a free loopback port,
read its address from the first line it prints, talk to its control API, and
stop it (SIGTERM, then kill), so a test harness, ``make bench`` and ``make
demo`` do not each carry a copy.
"""

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

LISTENING = 'Listening on '
CONTROL_PREFIX = '/_emulator'
_PACKAGE = Path(__file__).resolve().parent


def bundled_demo_scenario():
    """The demo scenario: inside the installed package, or at emulator/scenarios/ in a checkout."""
    installed = _PACKAGE / 'scenarios' / 'demo.yml'
    return installed if installed.is_file() else _PACKAGE.parent / 'scenarios' / 'demo.yml'


def console_script():
    """The ``hwc-emulator`` script of this interpreter's environment, else the one on PATH."""
    local = os.path.join(os.path.dirname(sys.executable), 'hwc-emulator')
    if os.path.exists(local):
        return local
    found = shutil.which('hwc-emulator')
    if not found:
        raise RuntimeError('hwc-emulator is not installed: pip install -e emulator (or make venv)')
    return found


class EmulatorProcess:
    """``hwc-emulator --host 127.0.0.1 --port PORT --scenario SCENARIO`` as a child process.

    ``port`` 0 (the default) lets the emulator pick a free one.

    ``log_path`` receives the emulator's stderr and any stdout after the first
    line (both discarded when it is None). ``url`` is the base URL once started.
    Raises RuntimeError, with the emulator's output when there is no log file,
    if the first line is not ``Listening on URL`` within ``start_timeout`` seconds.
    """

    def __init__(self, scenario, log_path=None, extra_args=(), start_timeout=30, port=0):
        self.log = open(str(log_path), 'w') if log_path else None
        command = [console_script(), '--host', '127.0.0.1', '--port', str(port), '--scenario', str(scenario)]
        self.process = subprocess.Popen(command + list(extra_args), stdout=subprocess.PIPE, stderr=self.log or subprocess.PIPE, text=True)
        try:
            readable = select.select([self.process.stdout], [], [], start_timeout)[0]
            first = self.process.stdout.readline().strip() if readable else ''
        except BaseException:  # Ctrl-C or SIGTERM while starting: leave no orphan behind
            self.stop()
            raise
        if not first.startswith(LISTENING):
            self.stop()
            where = ('see %s' % log_path) if log_path else self.process.stderr.read()
            raise RuntimeError('the emulator did not start (first line %r): %s' % (first, where))
        self.url = first[len(LISTENING) :].rstrip('/')
        # Keep draining stdout so a chatty emulator never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stdout:
            if self.log and not self.log.closed:
                self.log.write(line)

    def control(self, method, path, body=None, timeout=30):
        """Call the control API (``/_emulator/PATH``) and return its JSON answer (None when empty)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + CONTROL_PREFIX + '/' + path.lstrip('/'), data=data, method=method, headers={'Content-Type': 'application/json'}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def requests_log(self, limit=5000):
        """The emulated requests answered since the log was last cleared (control calls are not logged)."""
        entries = self.control('GET', 'requests?limit=%d' % limit)['requests']
        return [entry for entry in entries if not entry['path'].startswith(CONTROL_PREFIX)]

    def clear_requests_log(self):
        """Forget the requests answered so far."""
        self.control('DELETE', 'requests')

    def stop(self):
        """Stop the emulator (SIGTERM, then kill after 10 s); safe to call twice."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log and not self.log.closed:
            self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()
