"""Nothing an API or an inventory source returns is ever templated on the controller.

Every string field the emulator can return (task fields, error messages of error
bodies, dataset fields, the IAM project list) carries a Jinja payload that would
run a command on the controller if it were templated; the role, the fleet and the
inventory plugin run through real ansible-playbook, and the marker files the
payloads would create must not exist. The lead runs these tests (marker
``security``) on ansible-core 2.16 as well as on the newest (make security-matrix).
"""

import json
import subprocess

import pytest
from conftest import BIN, REPO, ansible_env
from fleet_harness import FLEET_SCENARIO, credential_env
from test_role_faults import COMPLETED_DATASET, HEALTHY_TASK, PLAYBOOK, gate_vars

pytestmark = pytest.mark.security

FLEET_PLAYBOOK = str(REPO / 'playbooks' / 'migration_health.yml')


def payloads(tmp_path):
    """The payloads (expression and statement style) and the marker files they would create."""
    markers = [tmp_path / 'templated-expression', tmp_path / 'templated-statement']
    texts = ["{{ lookup('pipe', 'touch %s') }}" % markers[0], "{%% set x = lookup('pipe', 'touch %s') %%}{{ x }}" % markers[1]]
    return texts, markers


def assert_nothing_ran(markers, output):
    for marker in markers:
        assert not marker.exists(), 'a payload from the API was templated (%s exists):\n%s' % (marker, output)


def add_fault(emulator, **fault):
    emulator.control('POST', 'faults', fault)


def lying_task_fields(emulator, texts):
    """ShowSyncTask answers with payloads in every free-text field; ListSyncTasks too."""
    fields = {}
    for index, name in enumerate(('description', 'src_bucket', 'dst_bucket', 'app_id', 'src_cloud_type')):
        fields[name] = texts[index % len(texts)]
    add_fault(emulator, route='show_sync_task', kind='rewrite', set=fields)
    add_fault(emulator, route='list_sync_tasks', kind='rewrite', set=dict(('tasks.0.' + key, value) for key, value in fields.items()))


def lying_errors(emulator, texts, route):
    """An error body whose code and message are payloads (any_status: the rewrite applies to a 4xx)."""
    add_fault(emulator, route=route, kind='rewrite', status=400, any_status=True, raw=_error_body(texts))


def _error_body(texts):
    return json.dumps({'error_code': texts[0], 'error_msg': texts[1] + ' ' + texts[0]})


@pytest.fixture
def demo(emulator_factory):
    return emulator_factory()


def test_role_never_templates_task_fields_error_bodies_or_dataset_answers(demo, run_playbook, tmp_path):
    texts, markers = payloads(tmp_path)
    lying_task_fields(demo, texts)
    lying_errors(demo, texts, 'list_sync_task_statistic')
    lying_errors(demo, texts, 'show_dataset_sync_status')
    report_dir = tmp_path / 'reports'
    run = run_playbook(PLAYBOOK, extra_vars=gate_vars(demo, report_dir), verbosity=1)
    assert_nothing_ran(markers, run.output)
    fact = json.loads((report_dir / 'migration-health.json').read_text())
    assert fact['verdict'] == 'ERROR', fact
    # The error messages are shown as the service sent them, braces and all.
    messages = ' '.join(entry['message'] for entry in fact['errors'])
    assert texts[0] in messages and texts[1] in messages, messages
    assert texts[0] in run.output


def test_role_never_templates_a_dataset_answer_or_an_unusable_status(demo, run_playbook, tmp_path):
    """A 200 dataset answer with payloads in its text fields, and a sync task whose status is one."""
    texts, markers = payloads(tmp_path)
    add_fault(
        demo, route='show_dataset_sync_status', kind='rewrite', set={'error_code': texts[0], 'error_msg': texts[1], 'task_id': texts[0], 'status': texts[1]}
    )
    add_fault(demo, route='show_sync_task', kind='rewrite', set={'status': texts[0], 'description': texts[1]})
    report_dir = tmp_path / 'reports'
    run = run_playbook(PLAYBOOK, extra_vars=gate_vars(demo, report_dir), verbosity=1)
    assert_nothing_ran(markers, run.output)
    assert run.rc != 0
    report = (report_dir / 'migration-health.json').read_text()
    assert json.loads(report)['verdict'] != 'HEALTHY'
    assert json.dumps(texts[0])[1:-1] in report or json.dumps(texts[1])[1:-1] in report, report


def test_rescue_path_never_templates_a_failure_message(demo, run_playbook, tmp_path):
    """A module failure whose message carries the service's text, through a rescue like the role's.

    The rescue of roles/migration_health/tasks/gate.yml reports
    ``ansible_failed_result.msg``; here a read that fails with an error body full
    of payloads is that failure, and the same rescue task (and a set_fact and a
    debug of the message) must show the text, never run it.
    """
    texts, markers = payloads(tmp_path)
    for route in ('show_sync_task', 'list_sync_task_statistic', 'show_dataset_sync_status', 'list_sync_tasks'):
        lying_errors(demo, texts, route)
    report_dir = tmp_path / 'reports'
    variables = gate_vars(demo, report_dir)
    playbook = [
        {
            'name': 'A failing read and its rescue',
            'hosts': 'localhost',
            'connection': 'local',
            'gather_facts': False,
            'tasks': [
                {
                    'name': 'Gate',
                    'block': [
                        {
                            'name': 'Read the migration state',
                            'hwcloud.migration.migration_state_info': {
                                'sync_task_info': {'sync_task_ids': [HEALTHY_TASK]},
                                'dataset_sync_info': {'dataset_ids': [COMPLETED_DATASET]},
                            },
                            'module_defaults': {'hwcloud.migration.migration_state_info': '{{ migration_health_connection }}'},
                        }
                    ],
                    'rescue': [
                        {'name': 'Keep the message', 'ansible.builtin.set_fact': {'failure': '{{ ansible_failed_result.msg }}'}},
                        {'name': 'Show the message', 'ansible.builtin.debug': {'msg': 'failed: {{ failure }}'}},
                        {
                            'name': 'Evaluate what could be read, with the failure that stopped the gate',
                            'hwcloud.migration.migration_health_report': {
                                'errors': [
                                    {
                                        'step': "{{ ansible_failed_task.name | default('the gate', true) }}",
                                        'message': "{{ ansible_failed_result.msg | default('the task failed without a message', true) }}",
                                    }
                                ],
                                'fact_name': 'migration_health',
                                'dest': str(report_dir),
                            },
                        },
                        {'name': 'Show the fact', 'ansible.builtin.debug': {'msg': '{{ migration_health.errors[0].message }}'}},
                    ],
                }
            ],
        }
    ]
    run = run_playbook(playbook, extra_vars=variables, verbosity=1)
    assert_nothing_ran(markers, run.output)
    assert run.rc == 0, run.output
    assert texts[0] in run.task('Show the message')['result']['msg']
    assert texts[0] in run.task('Show the fact')['result']['msg']
    fact = json.loads((report_dir / 'migration-health.json').read_text())
    assert fact['verdict'] == 'ERROR', fact
    assert texts[0] in fact['errors'][0]['message'] and texts[1] in fact['errors'][0]['message'], fact


def _projects_source(tmp_path, emulator, **options):
    source = {
        'plugin': 'hwcloud.migration.projects',
        'iam_endpoint': emulator.url,
        'region': 'cn-north-4',
        'target_settings': {'endpoint': emulator.url, 'iam_endpoint': emulator.url, 'retries': 0},
    }
    source.update(options)
    path = tmp_path / 'hwc.projects.yml'
    path.write_text(json.dumps(source))
    return path


def lying_projects(emulator, texts, count=6):
    """IAM lists its projects with payloads in every field the plugin keeps without a format check."""
    fields = {}
    for index in range(count):
        fields['projects.%d.domain_id' % index] = texts[index % len(texts)]
        fields['projects.%d.description' % index] = texts[(index + 1) % len(texts)]
    add_fault(emulator, route='iam_list_auth_projects', kind='rewrite', set=fields)


def test_inventory_plugin_host_vars_are_never_templated(emulator_factory, run_playbook, tmp_path):
    emulator = emulator_factory(FLEET_SCENARIO)
    texts, markers = payloads(tmp_path)
    lying_projects(emulator, texts)
    source = _projects_source(
        tmp_path, emulator, include=['cn-north-4', 'cn-east-3'], keyed_groups=[{'key': 'migration_health_project.region', 'prefix': 'region'}]
    )
    playbook = [
        {
            'name': 'Use the host variables of the inventory plugin',
            'hosts': 'migration_health_targets',
            'gather_facts': False,
            'tasks': [
                {'name': 'Show the project', 'ansible.builtin.debug': {'msg': 'domain {{ migration_health_project.domain_id }}'}},
                {
                    'name': 'Show the project through hostvars',
                    'ansible.builtin.debug': {'msg': "{{ hostvars[inventory_hostname]['migration_health_project'] }}"},
                },
                {'name': 'Copy it into a fact', 'ansible.builtin.set_fact': {'copied': '{{ migration_health_project }}'}},
                {'name': 'Show the copy', 'ansible.builtin.debug': {'msg': 'copy {{ copied.domain_id }}'}},
            ],
        }
    ]
    run = run_playbook(playbook, env=credential_env(), args=('-i', str(source)))
    assert_nothing_ran(markers, run.output)
    assert run.rc == 0, run.output
    shown = run.task('Show the project')
    assert any(text in json.dumps(shown) for text in texts), shown
    assert 'domain ' + texts[0] in run.output or 'domain ' + texts[1] in run.output
    # ansible-inventory --list: the payload is data in the listing.
    process = subprocess.run(
        [str(BIN / 'ansible-inventory'), '-i', str(source), '--list'],
        capture_output=True,
        text=True,
        env=ansible_env(credential_env()),
        check=False,
        cwd=str(tmp_path),
    )
    assert process.returncode == 0, process.stderr
    assert_nothing_ran(markers, process.stdout + process.stderr)
    assert json.dumps(texts[0])[1:-1] in process.stdout or json.dumps(texts[1])[1:-1] in process.stdout, process.stdout


def test_fleet_never_templates_host_variables_or_api_text(emulator_factory, run_playbook, tmp_path):
    emulator = emulator_factory(FLEET_SCENARIO)
    texts, markers = payloads(tmp_path)
    lying_projects(emulator, texts)
    # cn-east-3 lists its sync tasks with payloads in their fields; cn-north-4's listing is refused with payloads.
    add_fault(emulator, route='/v2/f1ee7000000000000000000000000001/sync-tasks', kind='rewrite', status=400, any_status=True, raw=_error_body(texts))
    lying_task_fields(emulator, texts)
    source = _projects_source(tmp_path, emulator, include=['cn-north-4', 'cn-east-3'], compose={'migration_health_sync_tasks': "'all'"})
    report_dir = tmp_path / 'reports'
    group_vars = tmp_path / 'group_vars'
    group_vars.mkdir()
    (group_vars / 'all.yml').write_text(json.dumps({'migration_health_report_dir': str(report_dir), 'migration_health_fail': False}))
    run = run_playbook(FLEET_PLAYBOOK, env=credential_env(), args=('-i', str(source), '--forks', '2'))
    assert_nothing_ran(markers, run.output)
    fleet = json.loads((report_dir / 'migration-health.json').read_text())
    assert sorted(entry['name'] for entry in fleet['targets']) == ['cn-east-3', 'cn-north-4']
    for name in ('cn-north-4', 'cn-east-3'):
        target = (report_dir / name / 'migration-health.json').read_text()
        assert json.dumps(texts[0])[1:-1] in target, target
    assert _entries(fleet)['cn-north-4']['verdict'] == 'ERROR', fleet
    # The fleet shows each target's verdict and its failed reads' text as data.
    assert _entries_text(fleet, texts), fleet
    html = (report_dir / 'migration-health.html').read_text()
    assert 'lookup(' in html and 'touch ' in html, html


def _entries_text(fleet, texts):
    return any(text in json.dumps(fleet) for text in texts)


def _entries(fleet):
    return dict((entry['name'], entry) for entry in fleet['targets'])
