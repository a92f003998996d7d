"""Measure how many AK/SK-signed requests per second the emulator answers.

Starts `hwc-emulator` on loopback with a generated scenario, then runs CLIENTS
concurrent keep-alive clients (threads spread over a few processes) for WARMUP +
DURATION seconds, each signing every request afresh; only the last DURATION
seconds count. The mix: ShowSyncTask 50 %, ListSyncTasks over all tasks 20 %,
ListSyncTaskStatistic over the last hour 20 % (show and statistics on a working
set of WATCHED tasks), dataset sync status 10 %. Prints requests/second and the
count of non-200 answers. The first query of a task generates its series (about
10 ms for a week on a slow core); the warm-up keeps that out of the figure.

    .venv/bin/python emulator/bench_emulator.py [--clients 16] [--duration 5]
"""

import argparse
import http.client
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone

from hwc_emulator import generate
from hwc_emulator.signing import sign_headers

PROJECT = generate.BENCH_PROJECT_ID


def _paths(rng, tasks, watched, datasets):
    kind = rng.random()
    now = int(time.time() * 1000)
    if kind < 0.5:
        task = 'gen-task-%05d' % rng.randrange(watched)
        return '/v2/%s/sync-tasks/%s' % (PROJECT, task), 'query_time=%d' % now
    if kind < 0.7:
        return '/v2/%s/sync-tasks' % PROJECT, 'limit=%d&offset=%d' % (rng.choice((10, 50, 100)), rng.randrange(0, tasks))
    if kind < 0.9:
        task = 'gen-task-%05d' % rng.randrange(watched)
        return ('/v2/%s/sync-tasks/%s/statistics' % (PROJECT, task), 'data_type=FAILURE%%2CREQUEST&end_time=%d&start_time=%d' % (now, now - 3600000))
    dataset = 'gen-dataset-%05d' % rng.randrange(datasets)
    return '/v2/%s/datasets/%s/sync-data/status' % (PROJECT, dataset), ''


def _client(host, port, counted_from, deadline, tasks, watched, datasets, seed, results):
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(host, port, timeout=30)
    ok = failed = 0
    while time.monotonic() < deadline:
        counted = time.monotonic() >= counted_from
        path, query = _paths(rng, tasks, watched, datasets)
        sdk_date = datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')
        headers = sign_headers(
            'GET',
            '%s:%d' % (host, port),
            path,
            query,
            {'Content-Type': 'application/json', 'X-Project-Id': PROJECT},
            generate.BENCH_ACCESS_KEY,
            generate.BENCH_SECRET_KEY,
            sdk_date,
        )
        try:
            connection.request('GET', path + ('?' + query if query else ''), headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            failed += counted
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=30)
            continue
        if not counted:
            continue
        if response.status == 200:
            ok += 1
        else:
            failed += 1
    connection.close()
    results.append((ok, failed))


def _process(host, port, threads, start_at, warmup, duration, tasks, watched, datasets, base_seed, queue):
    while time.time() < start_at:
        time.sleep(0.005)
    counted_from = time.monotonic() + warmup
    deadline = counted_from + duration
    results = []
    workers = [
        threading.Thread(target=_client, args=(host, port, counted_from, deadline, tasks, watched, datasets, base_seed + i, results)) for i in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put((sum(r[0] for r in results), sum(r[1] for r in results)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--clients', type=int, default=16)
    parser.add_argument('--processes', type=int, default=2, help='client processes the clients share')
    parser.add_argument('--duration', type=float, default=5.0)
    parser.add_argument('--warmup', type=float, default=2.0, help='seconds run but not counted')
    parser.add_argument('--tasks', type=int, default=2000, help='tasks in the scenario (all listed)')
    parser.add_argument('--watched', type=int, default=200, help="tasks shown and queried for statistics (a gate's working set)")
    parser.add_argument('--datasets', type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        scenario = os.path.join(workdir, 'bench.yml')
        with open(scenario, 'w') as handle:
            generate.dump_scenario(generate.make_scenario(args.tasks, args.datasets, seed=1), handle)
        server = subprocess.Popen(
            [sys.executable, '-m', 'hwc_emulator', '--host', '127.0.0.1', '--port', '0', '--scenario', scenario], stdout=subprocess.PIPE, text=True
        )
        try:
            line = server.stdout.readline().strip()
            if not line.startswith('Listening on http://'):
                raise SystemExit('emulator did not start: %r' % line)
            host, port = line[len('Listening on http://') :].rsplit(':', 1)
            port = int(port)
            queue = multiprocessing.Queue()
            start_at = time.time() + 1.0
            per_process = [args.clients // args.processes] * args.processes
            for i in range(args.clients % args.processes):
                per_process[i] += 1
            processes = [
                multiprocessing.Process(
                    target=_process,
                    args=(host, port, n, start_at, args.warmup, args.duration, args.tasks, min(args.watched, args.tasks), args.datasets, 1000 * i, queue),
                )
                for i, n in enumerate(per_process)
                if n
            ]
            for process in processes:
                process.start()
            totals = [queue.get() for _process in processes]
            for process in processes:
                process.join()
        finally:
            server.terminate()
            server.wait(timeout=10)
    ok = sum(t[0] for t in totals)
    failed = sum(t[1] for t in totals)
    print(
        '%d clients, %.1f s: %d requests OK, %d not OK, %.0f signed requests/second' % (args.clients, args.duration, ok, failed, (ok + failed) / args.duration)
    )


if __name__ == '__main__':
    main()
