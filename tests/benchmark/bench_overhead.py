# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The per-request client overhead of `make bench`, run in a process of its own.

Each side of the bench (the baseline checkout and the current one) imports its
own ``HuaweiCloudClient``, so the measurement runs in a child process whose
``sys.path`` starts with that side's collections path:

    python bench_overhead.py COLLECTIONS_PATH ARGS_JSON

ARGS_JSON holds ``params`` (the client's connection options with ``project_id``),
``task_ids``, ``count`` and ``rounds``. The figures are printed as one JSON object.
"""

import importlib
import json
import sys
import time

# Where the client and the signer live, newest layout first: the restructure of
# issue 21 moved them into module_utils/_api, the baseline has them at the top.
LAYOUTS = (('plugins.module_utils._api.client', 'plugins.module_utils._api.signer'), ('plugins.module_utils._client', 'plugins.module_utils._signer'))
PACKAGE = 'ansible_collections.hwcloud.migration.'


def _import_client():
    for client_name, signer_name in LAYOUTS:
        try:
            client = importlib.import_module(PACKAGE + client_name)
        except ImportError:
            continue
        return client.HuaweiCloudClient, importlib.import_module(PACKAGE + signer_name)
    raise ImportError('no HuaweiCloudClient in any known layout of %s' % PACKAGE)


def client_overhead(params: dict, task_ids: list, count: int, rounds: int = 8) -> dict:
    """HuaweiCloudClient.get_json versus bare requests.Session.get calls with headers signed in advance.

    Two bare baselines: a default ``requests.Session`` (what a script would use;
    it reads the proxy variables from the environment on every call) and one
    with ``trust_env = False`` (the least a request can cost).  The overhead is
    reported against the faster of the two.
    """
    import requests

    client_class, signer = _import_client()
    user_agent = importlib.import_module(PACKAGE + 'plugins.module_utils._version').USER_AGENT
    client = client_class(dict(params), 'oms')
    now = int(time.time() * 1000)
    ids = task_ids[:200]
    template = '/v2/{project_id}/sync-tasks/{sync_task_id}'
    bare = requests.Session()
    minimal = requests.Session()
    minimal.trust_env = False
    prepared = []
    for task_id in ids:
        url = '%s/v2/%s/sync-tasks/%s?query_time=%d' % (params['endpoint'], params['project_id'], task_id, now)
        headers = {'Accept': 'application/json', 'User-Agent': user_agent, 'X-Project-Id': params['project_id']}
        headers.update(signer.sign_request('GET', url, headers, b'', params['access_key'], params['secret_key']))
        prepared.append((url, headers))

    def run_client(n):
        for index in range(n):
            client.get_json(template, path_params={'sync_task_id': ids[index % len(ids)]}, query={'query_time': now})

    def run_bare(session, n):
        for index in range(n):
            url, headers = prepared[index % len(ids)]
            response = session.get(url, headers=headers, timeout=30)
            if response.status_code != 200:
                raise RuntimeError('bare request answered %d: %s' % (response.status_code, response.text[:200]))
            response.json()

    runners = {'client': run_client, 'bare': lambda n: run_bare(bare, n), 'bare_no_env': lambda n: run_bare(minimal, n)}
    for runner in runners.values():  # warm the connection pools and the emulator
        runner(20)
    per_round = max(1, count // rounds)
    timings = dict((name, 0.0) for name in runners)
    for _round in range(rounds):  # interleaved, so that drift of the machine hits all three alike
        for name, runner in runners.items():
            started = time.perf_counter()
            runner(per_round)
            timings[name] += time.perf_counter() - started
    done = per_round * rounds
    for session in (bare, minimal, client.session):
        session.close()
    return {'requests_each': done, 'seconds': timings}


def summarise(parts: list) -> dict:
    """One figure from the parts of the alternating runs: microseconds per request of each arm and the overhead."""
    done = sum(part['requests_each'] for part in parts)
    micro = dict((name, sum(part['seconds'][name] for part in parts) / done * 1e6) for name in ('client', 'bare', 'bare_no_env'))
    reference = min(micro['bare'], micro['bare_no_env'])
    return {
        'requests_each': done,
        'client_us': micro['client'],
        'bare_us': micro['bare'],
        'bare_no_env_us': micro['bare_no_env'],
        'overhead_pct': (micro['client'] - reference) / reference * 100.0,
        'overhead_vs_default_session_pct': (micro['client'] - micro['bare']) / micro['bare'] * 100.0,
    }


def main() -> int:
    collections, args_file = sys.argv[1], sys.argv[2]
    sys.path.insert(0, collections)
    with open(args_file) as handle:
        args = json.load(handle)
    print(json.dumps(client_overhead(args['params'], args['task_ids'], args['count'], args.get('rounds', 8))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
