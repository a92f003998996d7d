"""pytest fixtures that run hwc-emulator for a test (registered through the pytest11 entry point).

``hwc_emulator``
    An emulator started for the test from the scenario the test names with
    ``@pytest.mark.hwc_scenario(SCENARIO)`` (or an ``hwc_scenario`` fixture of
    its own), else the bundled demo scenario. SCENARIO is a YAML file path
    (relative paths are taken from the test file's folder) or a dict in the
    scenario format. The fixture gives the URL, the credentials of the scenario
    and the request log (:class:`HwcEmulator`), and stops the emulator when the
    test ends.
``hwc_emulator_factory``
    ``start(scenario, extra_args=())`` for a test that needs several emulators
    or builds its scenario itself; every emulator it started is stopped at the
    end of the test.

The emulator runs as its own process (the installed ``hwc-emulator`` script) on a
free loopback port, as a user's CI would run it; its output goes to
``emulator.log`` in a temporary folder of the test.
"""

import os
from pathlib import Path

import pytest
import yaml

from .launcher import EmulatorProcess, bundled_demo_scenario
from .state import DEFAULT_PROJECT_ID, DEFAULT_REGION

MARKER = 'hwc_scenario'


class HwcEmulator(EmulatorProcess):
    """A running emulator and what a test needs to talk to it.

    ``url`` (also ``endpoint`` and ``iam_endpoint``: one process serves OMS,
    ModelArts and IAM), ``region`` and ``project_id`` (the scenario's first),
    ``access_key`` and ``secret_key`` (its first permanent access key, None when
    it has none), ``connection`` (all of these as the collection's connection
    options), ``scenario`` (the scenario as data) and ``scenario_path``.
    ``requests_log()``, ``clear_requests_log()``, ``add_fault()``, ``reset()``
    and ``control()`` drive the control API.
    """

    def __init__(self, scenario_path, log_path=None, extra_args=()):
        self.scenario_path = Path(scenario_path)
        with open(str(self.scenario_path), encoding='utf-8') as handle:
            self.scenario = yaml.safe_load(handle) or {}
        super().__init__(self.scenario_path, log_path=log_path, extra_args=extra_args)
        self.endpoint = self.iam_endpoint = self.url
        regions = self.scenario['regions'] if self.scenario.get('regions') is not None else {DEFAULT_REGION: [DEFAULT_PROJECT_ID]}
        self.region = next(iter(regions), None)
        projects = (regions.get(self.region) or []) if self.region else []
        self.project_id = self.scenario.get('default_project') or (projects[0] if projects else None)
        keys = (self.scenario.get('credentials') or {}).get('access_keys') or []
        permanent = [key for key in keys if not key.get('security_token')]
        self.access_key = permanent[0]['access_key'] if permanent else None
        self.secret_key = permanent[0]['secret_key'] if permanent else None

    @property
    def credentials(self):
        """The scenario's first permanent access key: ``{"access_key", "secret_key"}`` (values None without one)."""
        return {'access_key': self.access_key, 'secret_key': self.secret_key}

    @property
    def connection(self):
        """Connection options for the collection (``migration_health_connection``, module options)."""
        options = {'region': self.region, 'endpoint': self.url, 'iam_endpoint': self.url}
        if self.access_key:
            options.update(self.credentials)
        return options

    def requests_log(self, limit=5000, route=None):
        """The emulated requests answered so far, oldest first; only those of ``route`` when given."""
        entries = super().requests_log(limit)
        return [entry for entry in entries if route is None or entry['route'] == route]

    def add_fault(self, **fault):
        """Add a fault (the keys of the scenario's ``faults`` entries); returns its id."""
        return self.control('POST', 'faults', fault)['id']

    def reset(self):
        """Reload the scenario: state, faults, tokens, poll counters and the request log start over."""
        self.control('POST', 'reset')


def _scenario_file(scenario, folder, base):
    """A scenario file for ``scenario``: a path (relative to ``base``) or data written to ``folder``."""
    if isinstance(scenario, dict):
        path = Path(str(folder)) / 'scenario.yml'
        path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding='utf-8')
        return path
    if isinstance(scenario, (str, os.PathLike)):
        path = Path(scenario)
        if not path.is_absolute() and base is not None:
            path = Path(str(base)) / path
        if not path.is_file():
            raise FileNotFoundError('hwc_emulator: scenario file not found: %s' % path)
        return path
    raise TypeError('hwc_emulator: a scenario is a file path or a dict, not %s' % type(scenario).__name__)


@pytest.fixture
def hwc_emulator_factory(request, tmp_path_factory):
    """``start(scenario, extra_args=())`` -> :class:`HwcEmulator`; all are stopped when the test ends."""
    started = []
    base = Path(str(request.path)).parent if getattr(request, 'path', None) else None

    def start(scenario=None, extra_args=()):
        folder = tmp_path_factory.mktemp('hwc-emulator')
        path = _scenario_file(bundled_demo_scenario() if scenario is None else scenario, folder, base)
        log = folder / 'emulator.log'
        try:
            emulator = HwcEmulator(path, log_path=log, extra_args=extra_args)
        except RuntimeError as exc:
            text = log.read_text(encoding='utf-8') if log.exists() else ''
            raise RuntimeError('%s\n%s' % (exc, text.strip())) from None
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture
def hwc_scenario(request):
    """The scenario of ``hwc_emulator``: the test's ``hwc_scenario`` marker, else the bundled demo."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return bundled_demo_scenario()
    if len(marker.args) != 1 or marker.kwargs:
        raise TypeError('@pytest.mark.%s takes one argument: a scenario file path or a dict' % MARKER)
    return marker.args[0]


@pytest.fixture
def hwc_emulator(hwc_emulator_factory, hwc_scenario):
    """An emulator running ``hwc_scenario`` for this test (see :class:`HwcEmulator`)."""
    return hwc_emulator_factory(hwc_scenario)


def pytest_configure(config):
    config.addinivalue_line('markers', '%s(scenario): the scenario (YAML file path or dict) the hwc_emulator fixture runs' % MARKER)
