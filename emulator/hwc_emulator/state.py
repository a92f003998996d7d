"""The emulated world: projects, credentials, sync tasks, datasets and faults.

A State is built from a checked scenario with every relative time resolved against
the clock at load time. Reads on the request path are lookups in dicts and
precomputed lists; only the control API mutates, under the state's lock.
"""

import fnmatch
import random
import threading
import time
import uuid
from collections import OrderedDict, deque

from .migration import MigrationWorld
from .obs import ObsWorld
from .series import HORIZON_MS, Series, SeriesSpec
from .timeexpr import now_ms, parse_duration_ms, parse_time_ms

DEFAULT_DOMAIN_ID = 'd0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5'
DEFAULT_DOMAIN_NAME = 'emulator-domain'
DEFAULT_PROJECT_ID = 'c0ffee00c0ffee00c0ffee00c0ffee00'
DEFAULT_REGION = 'cn-north-4'

# The order of the fields in answers follows the API reference.
TASK_FIELDS = (
    'sync_task_id',
    'src_cloud_type',
    'src_region',
    'src_bucket',
    'create_time',
    'last_start_time',
    'dst_bucket',
    'dst_region',
    'description',
    'status',
    'enable_kms',
    'enable_metadata_migration',
    'enable_restore',
    'app_id',
    'object_overwrite_mode',
    'dst_storage_policy',
    'consistency_check',
)
TASK_DEFAULTS = {
    'src_cloud_type': 'Aliyun',
    'src_region': 'cn-hangzhou',
    'src_bucket': 'source-bucket',
    'dst_bucket': 'destination-bucket',
    'dst_region': DEFAULT_REGION,
    'description': '',
    'status': 'SYNCHRONIZING',
    'enable_metadata_migration': False,
    'enable_restore': False,
    'app_id': None,
    'object_overwrite_mode': 'SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE',
    'dst_storage_policy': 'STANDARD',
    'consistency_check': 'size_last_modified',
}
DATASET_FIELDS = (
    'add_sample_count',
    'create_time',
    'dataset_id',
    'deleted_sample_count',
    'duration_time',
    'error_code',
    'error_msg',
    'status',
    'task_id',
    'total_sample_count',
)
# Series are computed in closed form (no buckets are held): a cached Series is a
# few hundred bytes, so the cache is bounded by entries (about 10 MB at most).
SERIES_CACHE_ENTRIES = 20000


class AccessKey(object):
    """An AK/SK pair; with a security token it is a temporary key."""

    __slots__ = ('access_key', 'secret_key', 'security_token', 'projects')

    def __init__(self, access_key, secret_key, security_token=None, projects=None):
        self.access_key = access_key
        self.secret_key = secret_key
        self.security_token = security_token
        self.projects = frozenset(projects) if projects is not None else None


class User(object):
    """An IAM user who may ask for a token with a password."""

    __slots__ = ('user_id', 'name', 'password', 'domain', 'projects')

    def __init__(self, user_id, name, password, domain, projects=None):
        self.user_id = user_id
        self.name = name
        self.password = password
        self.domain = domain
        self.projects = frozenset(projects) if projects is not None else None


class Token(object):
    """A static or issued token; project_id None means domain scoped."""

    __slots__ = ('token', 'project_id', 'expires_ms', 'principal', 'kind')

    def __init__(self, token, project_id, expires_ms, principal, kind):
        self.token = token
        self.project_id = project_id
        self.expires_ms = expires_ms
        self.principal = principal
        self.kind = kind


class SyncTask(object):
    """A sync task: its API fields plus the recipe of its statistics."""

    __slots__ = ('task_id', 'project_id', 'fields', 'source_cdn', 'spec', 'version')

    def __init__(self, task_id, project_id, fields, source_cdn, spec, version=0):
        self.task_id = task_id
        self.project_id = project_id
        self.fields = fields
        self.source_cdn = source_cdn
        self.spec = spec
        self.version = version

    def list_item(self):
        """The task as ListSyncTasks shows it: no enable_kms, no monthly counters."""
        item = OrderedDict((k, v) for k, v in self.fields.items() if k != 'enable_kms')
        item['source_cdn'] = self.source_cdn
        return item


def _follow_status(previous, status, now):
    """Stop or resume a task's activity when the control API changes its status."""
    spec = previous.spec
    old = previous.fields.get('status')
    if status == old:
        return spec
    changed = SeriesSpec(
        spec.seed, spec.start_ms, spec.end_ms, spec.request_rate, spec.skip_rate, spec.jitter, spec.failure_rate, spec.object_size, spec.bursts, spec.gaps
    )
    if status == 'STOPPED' and (spec.end_ms is None or spec.end_ms > now):
        changed.end_ms = now
    elif status == 'SYNCHRONIZING' and spec.end_ms is not None and spec.end_ms <= now:
        changed.gaps = spec.gaps + ((spec.end_ms, now),)
        changed.end_ms = None
    return changed


class Dataset(object):
    """A dataset sync status, fixed or scripted to progress over polls or time."""

    def __init__(self, dataset_id, project_id, fields, progress=None, every_polls=None, every_ms=None, started_ms=None):
        self.dataset_id = dataset_id
        self.project_id = project_id
        self.fields = fields
        self.progress = list(progress) if progress else None
        self.every_polls = every_polls
        self.every_ms = every_ms
        self.started_ms = started_ms if started_ms is not None else now_ms()
        self.polls = 0
        self.lock = threading.Lock()

    def poll(self, now):
        """Return the status for this poll and count the poll."""
        with self.lock:
            polls = self.polls
            self.polls += 1
        if not self.progress:
            return self.fields.get('status') or 'NOT_EXIST'
        if self.every_ms:
            step = max(0, now - self.started_ms) // self.every_ms
        else:
            step = polls // (self.every_polls or 1)
        return self.progress[min(int(step), len(self.progress) - 1)]

    def body(self, status):
        """The ShowDatasetSyncStatus answer for ``status``."""
        body = OrderedDict()
        body['dataset_id'] = self.dataset_id
        body['status'] = status
        if status == 'NOT_EXIST':
            return body
        for name in DATASET_FIELDS:
            if name in ('dataset_id', 'status', 'error_code', 'error_msg'):
                continue
            if self.fields.get(name) is not None:
                body[name] = self.fields[name]
        if status == 'FAILED':
            body['error_code'] = self.fields.get('error_code') or 'ModelArts.4360'
            body['error_msg'] = self.fields.get('error_msg') or 'Dataset synchronization failed.'
        return body


class Fault(object):
    """A fault injected on the routes that match ``route`` (name, path glob or '*')."""

    def __init__(self, spec, seed=0):
        self.spec = dict(spec)
        self.fault_id = spec.get('id') or uuid.uuid4().hex[:12]
        self.spec['id'] = self.fault_id
        self.route = spec.get('route', '*')
        self.method = (spec.get('method') or '').upper() or None
        self.kind = spec['kind']
        self.calls = 0
        self.fired = 0
        self.lock = threading.Lock()
        self.rng = random.Random('%s:%s' % (seed, self.fault_id))
        self.window = deque()

    def matches(self, route_name, path, method):
        """True if this fault applies to a request on ``route_name``/``path``."""
        if self.method and self.method != method:
            return False
        if self.route in ('*', route_name):
            return True
        return '/' in self.route and fnmatch.fnmatchcase(path, self.route)

    def fires(self):
        """Count a matching call and say whether the fault applies to it."""
        spec = self.spec
        with self.lock:
            if self.kind == 'rate_limit':
                now = time.monotonic()
                window = self.window
                while window and now - window[0] >= 1.0:
                    window.popleft()
                if len(window) >= spec.get('limit', 10):
                    self.fired += 1
                    return True
                window.append(now)
                return False
            self.calls += 1
            if 'times' in spec and self.fired >= spec['times']:
                return False
            position = self.calls - spec.get('after', 0)
            if position <= 0:
                return False
            if 'every' in spec and position % spec['every'] != 0:
                return False
            if 'probability' in spec and self.rng.random() >= spec['probability']:
                return False
            self.fired += 1
            return True

    def describe(self):
        """The fault as the control API lists it."""
        described = dict(self.spec)
        described.update({'calls': self.calls, 'fired': self.fired})
        return described


class Settings(object):
    """Tunables of the emulated services (scenario keys ``auth``, ``iam``, ``statistics``)."""

    def __init__(self, data):
        auth = data.get('auth') or {}
        iam = data.get('iam') or {}
        stats = data.get('statistics') or {}
        self.max_clock_skew_ms = parse_duration_ms(auth.get('max_clock_skew', '15m'))
        self.lockout_after = auth.get('lockout_after_failures', 0)
        self.lockout_ms = parse_duration_ms(auth.get('lockout_duration', '5m'))
        self.token_lifetime_ms = parse_duration_ms(iam.get('token_lifetime', '24h'))
        self.hourly_above_ms = parse_duration_ms(stats.get('hourly_above', '24h'))
        self.max_points = stats.get('max_points', 1000)
        self.keep = stats.get('keep', 'latest')
        self.omit_empty = stats.get('omit_empty', 'bucket')
        window = stats.get('max_window')
        self.max_window_ms = parse_duration_ms(window) if window is not None else None


class State(object):
    """Everything one loaded scenario defines, with relative times resolved."""

    def __init__(self, data, now=None):
        self.loaded_ms = now if now is not None else now_ms()
        self.seed = data.get('seed', 0)
        self.settings = Settings(data)
        self.lock = threading.RLock()
        domain = data.get('domain') or {}
        self.domain_id = domain.get('id', DEFAULT_DOMAIN_ID)
        self.domain_name = domain.get('name', DEFAULT_DOMAIN_NAME)
        self._load_projects(data)
        self._load_credentials(data.get('credentials') or {})
        self.tasks = {}
        for entry in data.get('sync_tasks') or []:
            task = self.build_task(entry)
            self.tasks[task.task_id] = task
        self._reindex_tasks()
        self.datasets = {}
        for entry in data.get('datasets') or []:
            dataset = self.build_dataset(entry)
            self.datasets[dataset.dataset_id] = dataset
        self.migration = MigrationWorld(data, self.loaded_ms, self.default_project)
        self.obs = ObsWorld(data, self)
        self.faults = [Fault(spec, self.seed) for spec in data.get('faults') or []]
        self._series = OrderedDict()
        self._series_lock = threading.Lock()
        self.failures = {}

    # projects and credentials -------------------------------------------------

    def _load_projects(self, data):
        regions = data.get('regions')
        if regions is None:
            regions = {DEFAULT_REGION: [DEFAULT_PROJECT_ID]}
        self.projects = OrderedDict()
        for region, ids in regions.items():
            for project_id in ids:
                self.projects[project_id] = OrderedDict(
                    (
                        ('id', project_id),
                        ('name', region),
                        ('domain_id', self.domain_id),
                        ('enabled', True),
                        ('description', ''),
                        ('parent_id', self.domain_id),
                        ('is_domain', False),
                    )
                )
        first = next(iter(self.projects), None)
        self.default_project = data.get('default_project') or first

    def _load_credentials(self, creds):
        self.access_keys = {}
        for entry in creds.get('access_keys') or []:
            key = AccessKey(entry['access_key'], entry['secret_key'], entry.get('security_token'), entry.get('projects'))
            self.access_keys[key.access_key] = key
        self.users = {}
        for entry in creds.get('users') or []:
            domain = entry.get('domain', self.domain_name)
            user_id = entry.get('id') or uuid.uuid5(uuid.NAMESPACE_OID, entry['name']).hex
            user = User(user_id, entry['name'], entry['password'], domain, entry.get('projects'))
            self.users[(domain, user.name)] = user
        self.tokens = {}
        default_expiry = self.loaded_ms + self.settings.token_lifetime_ms
        for entry in creds.get('tokens') or []:
            expires = entry.get('expires_at')
            expires_ms = parse_time_ms(expires, self.loaded_ms) if expires is not None else default_expiry
            project_id = entry.get('project_id', self.default_project)
            self.tokens[entry['token']] = Token(entry['token'], project_id, expires_ms, 'static-token', 'static')

    def projects_named(self, name):
        """Projects whose name (the region) is ``name``; all of them for None."""
        if name is None:
            return list(self.projects.values())
        return [p for p in self.projects.values() if p['name'] == name]

    def issue_token(self, project_id, principal):
        """Create a token for ``principal`` scoped to ``project_id`` (None: domain)."""
        value = 'MIIemu' + uuid.uuid4().hex + uuid.uuid4().hex
        token = Token(value, project_id, now_ms() + self.settings.token_lifetime_ms, principal, 'issued')
        with self.lock:
            self.tokens[value] = token
        return token

    # sync tasks -----------------------------------------------------------------

    def build_task(self, entry, previous=None, now=None):
        """A SyncTask from a scenario entry (merged over ``previous`` when given).

        Relative times resolve against ``now`` (default: the scenario load time).
        """
        now = self.loaded_ms if now is None else now
        task_id = entry.get('sync_task_id') or previous.task_id
        project_id = entry.get('project_id') or (previous.project_id if previous else self.default_project)
        if previous is not None:
            fields = OrderedDict(previous.fields)
        else:
            fields = OrderedDict()
            for name in TASK_FIELDS:
                if name in TASK_DEFAULTS:
                    fields[name] = TASK_DEFAULTS[name]
            fields['create_time'] = now - 7 * 86400000
            fields['last_start_time'] = now - 7 * 86400000
        fields['sync_task_id'] = task_id
        for name in TASK_FIELDS:
            if name in entry and name != 'sync_task_id':
                value = entry[name]
                if name in ('create_time', 'last_start_time') and isinstance(value, str):
                    value = parse_time_ms(value, now)
                fields[name] = value
        fields = OrderedDict((name, fields[name]) for name in TASK_FIELDS if name in fields)
        if 'source_cdn' in entry:
            source_cdn = entry['source_cdn']
        else:
            source_cdn = previous.source_cdn if previous else None
        if 'series' in entry or previous is None:
            spec = self._series_spec(task_id, entry.get('series') or {}, fields, now)
        else:
            spec = _follow_status(previous, fields.get('status'), now)
        version = previous.version + 1 if previous else 0
        return SyncTask(task_id, project_id, fields, source_cdn, spec, version)

    def _series_spec(self, task_id, series, fields, now):
        start = parse_time_ms(series.get('start', '-30d'), now)
        end = series.get('end')
        if end is not None:
            end = parse_time_ms(end, now)
        elif fields.get('status') == 'STOPPED':
            end = now  # a stopped task does no more work
        rates = series.get('rates') or {}
        bursts = []
        for burst in series.get('bursts') or []:
            bursts.append(
                (
                    parse_time_ms(burst['start'], now),
                    parse_time_ms(burst.get('end', 'now'), now),
                    float(burst.get('failure_rate', 0.5)),
                    float(burst.get('request_factor', 1.0)),
                )
            )
        gaps = [(parse_time_ms(g['start'], now), parse_time_ms(g['end'], now)) for g in series.get('gaps') or []]
        return SeriesSpec(
            seed='%s:%s' % (series.get('seed', self.seed), task_id),
            start_ms=start,
            end_ms=end,
            request_rate=rates.get('request', 100),
            skip_rate=rates.get('skip', 0),
            jitter=series.get('jitter', 0.2),
            failure_rate=series.get('failure_rate', 0.0),
            object_size=series.get('object_size', 1048576),
            bursts=bursts,
            gaps=gaps,
        )

    def _reindex_tasks(self):
        # Listing order: newest first, then by id; one precomputed list per filter.
        ordered = sorted(self.tasks.values(), key=lambda t: (-(t.fields.get('create_time') or 0), t.task_id))
        listing = {}
        for task in ordered:
            item = task.list_item()
            for key in ((task.project_id, None), (task.project_id, task.fields.get('status'))):
                listing.setdefault(key, []).append(item)
        self.listing = listing

    def replace_tasks(self, tasks):
        """Swap in a new task table (a copy: readers, which take no lock, never see one changed in place) and rebuild the listings."""
        self.tasks = tasks
        self._reindex_tasks()

    def upsert_task(self, task_id, changes):
        """Create or change a task from the control API; returns the new task."""
        with self.lock:
            previous = self.tasks.get(task_id)
            entry = dict(changes)
            entry['sync_task_id'] = task_id
            task = self.build_task(entry, previous, now=now_ms())
            tasks = dict(self.tasks)
            tasks[task_id] = task
            self.tasks = tasks
            self._reindex_tasks()
            return task

    def series_of(self, task, now):
        """The task's series, visible at least up to ``now`` (cached, LRU; cheap to build)."""
        key = (task.task_id, task.version)
        with self._series_lock:
            series = self._series.get(key)
            if series is not None and series.horizon_ms >= now:
                self._series.move_to_end(key)
                return series
        series = Series(task.spec, now + HORIZON_MS)
        with self._series_lock:
            self._series.pop(key, None)
            self._series[key] = series
            while len(self._series) > SERIES_CACHE_ENTRIES:
                self._series.popitem(last=False)
        return series

    # datasets -------------------------------------------------------------------

    def build_dataset(self, entry, previous=None):
        """A Dataset from a scenario entry (merged over ``previous`` when given)."""
        now = now_ms()
        fields = dict(previous.fields) if previous else {}
        for name in DATASET_FIELDS:
            if name in entry:
                value = entry[name]
                if name == 'create_time' and isinstance(value, str):
                    value = parse_time_ms(value, self.loaded_ms)
                fields[name] = value
        fields.setdefault('status', 'COMPLETED')
        project_id = entry.get('project_id') or (previous.project_id if previous else self.default_project)
        progress = entry.get('progress', previous.progress if previous else None)
        every_polls = entry.get('advance_every_polls', previous.every_polls if previous else None)
        every = entry.get('advance_every')
        every_ms = parse_duration_ms(every) if every is not None else (previous.every_ms if previous else None)
        if 'status' in entry and 'progress' not in entry:
            progress = None  # an explicit status replaces a script
        if progress and not every_polls and not every_ms:
            every_polls = 1
        return Dataset(entry.get('dataset_id') or previous.dataset_id, project_id, fields, progress, every_polls, every_ms, started_ms=now)

    def upsert_dataset(self, dataset_id, changes):
        """Create or change a dataset from the control API (its poll count restarts)."""
        with self.lock:
            entry = dict(changes)
            entry['dataset_id'] = dataset_id
            dataset = self.build_dataset(entry, self.datasets.get(dataset_id))
            datasets = dict(self.datasets)
            datasets[dataset_id] = dataset
            self.datasets = datasets
            return dataset

    # faults ---------------------------------------------------------------------

    def add_fault(self, spec):
        """Register a fault; returns it."""
        fault = Fault(spec, self.seed)
        with self.lock:
            self.faults = self.faults + [fault]
        return fault

    def clear_faults(self, fault_id=None):
        """Remove every fault, or the one with ``fault_id``; returns how many went."""
        with self.lock:
            before = len(self.faults)
            if fault_id is None:
                self.faults = []
            else:
                self.faults = [f for f in self.faults if f.fault_id != fault_id]
            return before - len(self.faults)
