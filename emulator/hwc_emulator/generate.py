"""Deterministic large scenarios for listings and benchmarks."""

import random

import yaml

_CLOUDS = ('AWS', 'Azure', 'Aliyun', 'Tencent', 'HuaweiCloud', 'QingCloud', 'KingsoftCloud', 'Baidu', 'Qiniu', 'UCloud')
_OVERWRITE = ('NO_OVERWRITE', 'SIZE_LAST_MODIFIED_COMPARISON_OVERWRITE', 'CRC64_COMPARISON_OVERWRITE', 'FULL_OVERWRITE')
_POLICIES = ('STANDARD', 'IA', 'ARCHIVE', 'DEEP_ARCHIVE', 'SRC_STORAGE_MAPPING', None)
_CHECKS = ('size_last_modified', 'crc64', 'no_check')

BENCH_PROJECT_ID = '0b5d1e2f3a4c4d6e8f9a0b1c2d3e4f50'
BENCH_ACCESS_KEY = 'BENCHAKEXAMPLE0000001'
BENCH_SECRET_KEY = 'bench-secret-key-not-a-real-secret-0001'


def make_sync_tasks(count, seed=0, project_id=None, prefix='gen-task-'):
    """Return ``count`` sync task entries (scenario form), the same for the same seed."""
    rng = random.Random('tasks:%s' % (seed,))
    tasks = []
    for index in range(count):
        task_id = '%s%05d' % (prefix, index)
        stopped = rng.random() < 0.2
        cloud = rng.choice(_CLOUDS)
        series = {
            'start': '-%dd' % rng.randint(2, 7),
            'rates': {'request': rng.randint(5, 400), 'skip': rng.randint(0, 5)},
            'jitter': 0.25,
            'failure_rate': round(rng.choice((0.0, 0.0, 0.001, 0.01, 0.05)), 3),
            'object_size': rng.choice((4096, 65536, 1048576, 8388608)),
        }
        if rng.random() < 0.15:
            begin = rng.randint(30, 600)
            series['bursts'] = [
                {
                    'start': '-%dm' % begin,
                    'end': '-%dm' % max(0, begin - rng.randint(15, 120)),
                    'failure_rate': round(rng.uniform(0.2, 0.9), 2),
                }
            ]
        if rng.random() < 0.2:
            series['gaps'] = [{'start': '-%dh' % rng.randint(30, 40), 'end': '-%dh' % rng.randint(20, 29)}]
        if stopped:
            series['end'] = '-%dh' % rng.randint(1, 24)
        task = {
            'sync_task_id': task_id,
            'status': 'STOPPED' if stopped else 'SYNCHRONIZING',
            'src_cloud_type': cloud,
            'src_region': 'region-%d' % rng.randint(1, 9),
            'src_bucket': 'src-bucket-%05d' % index,
            'dst_bucket': 'dst-bucket-%05d' % index,
            'dst_region': 'cn-north-4',
            'description': 'generated task %d' % index,
            'create_time': '-%dd' % rng.randint(8, 60),
            'last_start_time': '-%dd' % rng.randint(2, 7),
            'enable_metadata_migration': rng.random() < 0.5,
            'enable_restore': rng.random() < 0.3,
            'app_id': 'app-%d' % rng.randint(1000, 9999) if cloud == 'Tencent' else None,
            'object_overwrite_mode': rng.choice(_OVERWRITE),
            'dst_storage_policy': rng.choice(_POLICIES),
            'consistency_check': rng.choice(_CHECKS),
            'series': series,
        }
        if project_id:
            task['project_id'] = project_id
        tasks.append(task)
    return tasks


def make_datasets(count, seed=0, project_id=None, prefix='gen-dataset-'):
    """Return ``count`` dataset entries (scenario form), the same for the same seed."""
    rng = random.Random('datasets:%s' % (seed,))
    statuses = ('COMPLETED', 'COMPLETED', 'COMPLETED', 'RUNNING', 'QUEUING', 'STARTING', 'FAILED', 'NOT_EXIST')
    datasets = []
    for index in range(count):
        status = rng.choice(statuses)
        entry = {'dataset_id': '%s%05d' % (prefix, index), 'status': status}
        if status != 'NOT_EXIST':
            total = rng.randint(10, 100000)
            entry.update(
                {
                    'task_id': 'sync-%05d' % index,
                    'create_time': '-%dh' % rng.randint(1, 48),
                    'total_sample_count': total,
                    'add_sample_count': rng.randint(0, total),
                    'deleted_sample_count': rng.randint(0, 50),
                    'duration_time': rng.randint(1, 3600),
                }
            )
        if status == 'FAILED':
            entry['error_code'] = 'ModelArts.4360'
            entry['error_msg'] = 'Failed to synchronize the dataset.'
        if project_id:
            entry['project_id'] = project_id
        datasets.append(entry)
    return datasets


def make_scenario(tasks, datasets, seed=0):
    """A complete scenario with one project, one AK/SK pair and generated resources."""
    return {
        'version': 1,
        'seed': seed,
        'regions': {'cn-north-4': [BENCH_PROJECT_ID]},
        'credentials': {
            # Benchmark-only credentials: not secrets, never valid anywhere else.
            'access_keys': [{'access_key': BENCH_ACCESS_KEY, 'secret_key': BENCH_SECRET_KEY}],
        },
        'sync_tasks': make_sync_tasks(tasks, seed=seed),
        'datasets': make_datasets(datasets, seed=seed),
    }


def dump_scenario(scenario, stream):
    """Write a scenario as YAML (C emitter when available: big scenarios are large)."""
    dumper = getattr(yaml, 'CSafeDumper', yaml.SafeDumper)
    stream.write('# Generated by `hwc-emulator generate`: deterministic, benchmark-only data.\n')
    yaml.dump(scenario, stream, Dumper=dumper, sort_keys=False, default_flow_style=None, width=200)
