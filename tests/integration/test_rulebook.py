"""The shipped rulebook run by the real ansible-rulebook against the emulator.

ansible-rulebook (its PyPI package, on a Java 17+ runtime: `make java`) runs
extensions/eda/rulebooks/migration_events.yml with the collection's event
source. The test fails a migration task through the emulator's control API;
the rulebook then runs the collection's playbooks: the gate's verdict turned
UNHEALTHY, so the notification playbook shows it, and the task failed, so the
retry playbook retries it, which the emulator's request log shows. The task's
name is a template that would create a file if Ansible ever rendered it; the
file never appears. The whole run is bounded: a hard deadline, and the
process group of ansible-rulebook (its source and its playbooks) is killed
at the end whatever happened.
"""

import os
import signal
import subprocess
import time

import pytest
import yaml
from conftest import BIN, Emulator, ansible_env

AK = 'AKRULEBOOKTEST000001'
SK = 'SKrulebook-secret-never-shown'
SRC_SK, DST_SK = 'rulebook-src-secret-key-0001', 'rulebook-dst-secret-key-0001'
TASK = 1001
SPEED = 104857600  # 100 MiB/s
# The whole run, ansible-rulebook's start (the JVM) and two playbooks included.
DEADLINE_S = 240


def _scenario(tmp_path, marker):
    # Executing since an hour ago with ten hours of work in all: it runs until the test fails it.
    task = {'id': TASK, 'name': "{{ lookup('pipe', 'touch %s') }}" % marker, 'start': '-1h'}
    task.update(total_size=36000 * SPEED, total_num=10**6, migrate_speed=SPEED)
    scenario = {'credentials': {'access_keys': [{'access_key': AK, 'secret_key': SK}]}, 'migration_tasks': [task]}
    path = tmp_path / 'scenario.yml'
    path.write_text(yaml.safe_dump(scenario))
    return path


class Rulebook:
    """ansible-rulebook in its own process group, its output in files; stop() kills the whole group."""

    def __init__(self, tmp_path, env):
        self.out = tmp_path / 'rulebook.out'
        self.err = tmp_path / 'rulebook.err'
        command = [
            str(BIN / 'ansible-rulebook'),
            '--rulebook',
            'hwcloud.migration.migration_events',
            '--vars',
            'vars.yml',
            '-i',
            'inventory.yml',
            '--print-events',
        ]
        with open(str(self.out), 'w') as out, open(str(self.err), 'w') as err:
            self.process = subprocess.Popen(command, cwd=str(tmp_path), env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)

    def output(self):
        return self.out.read_text(errors='replace') + self.err.read_text(errors='replace')

    def wait_for(self, what, check, deadline):
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            assert self.process.poll() is None, 'ansible-rulebook ended (exit %s) before %s:\n%s' % (self.process.returncode, what, self.output()[-8000:])
            time.sleep(0.5)
        raise AssertionError('no %s within %d s:\n%s' % (what, DEADLINE_S, self.output()[-8000:]))

    def stop(self):
        """SIGTERM to the whole group, then SIGKILL to whatever of it is left (a playbook it started)."""
        for sent, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, sent)
            except ProcessLookupError:
                break
            try:
                self.process.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                pass


@pytest.fixture
def emulator(tmp_path):
    emulator = Emulator(_scenario(tmp_path, tmp_path / 'pwned'))
    yield emulator
    emulator.stop()


@pytest.mark.security
def test_a_failed_task_is_retried_and_the_bad_verdict_notified_and_no_event_text_is_templated(emulator, tmp_path):
    deadline = time.monotonic() + DEADLINE_S
    connection = {'region': 'cn-north-4', 'endpoint': emulator.url, 'iam_endpoint': emulator.url}
    variables = {
        'migration_events_migration_tasks': [TASK],
        'migration_events_task_groups': [],
        'migration_events_interval': 1,
        'migration_health_connection': connection,
        'migration_retry_src_credentials': {'ak': 'RBSRCAK0001', 'sk': SRC_SK},
        'migration_retry_dst_credentials': {'ak': 'RBDSTAK0001', 'sk': DST_SK},
    }
    (tmp_path / 'vars.yml').write_text(yaml.safe_dump(variables))
    # The retry's pace comes from the inventory, as an operator would tune it for the rulebook's playbooks.
    localhost = {'ansible_connection': 'local', 'ansible_python_interpreter': '{{ ansible_playbook_python }}'}
    localhost.update(migration_retry_poll_interval=0.5, migration_retry_timeout=120)
    (tmp_path / 'inventory.yml').write_text(yaml.safe_dump({'all': {'hosts': {'localhost': localhost}}}))
    env = ansible_env({'HUAWEICLOUD_SDK_AK': AK, 'HUAWEICLOUD_SDK_SK': SK, 'NO_PROXY': '127.0.0.1,localhost', 'no_proxy': '127.0.0.1,localhost'})
    for name in ('ANSIBLE_CALLBACK_PLUGINS', 'ANSIBLE_CALLBACKS_ENABLED'):
        env.pop(name, None)  # ansible-runner's own callback reports the playbooks' events

    rulebook = Rulebook(tmp_path, env)
    try:
        rulebook.wait_for('first poll of task %d' % TASK, lambda: any(entry['route'] == 'show_task' for entry in emulator.requests_log()), deadline)
        emulator.control('POST', 'migration-tasks/%d' % TASK, {'status': 'failed', 'failed_objects': 5})

        def retried():
            return [entry for entry in emulator.requests_log() if entry['route'] == 'start_task']

        starts = rulebook.wait_for('retry of task %d (StartTask in the request log)' % TASK, retried, deadline)
        notice = 'the migration_health verdict is UNHEALTHY (was HEALTHY).'
        rulebook.wait_for('notification of the UNHEALTHY verdict', lambda: notice in rulebook.output(), deadline)

        # The retry playbook ends with its own gate; the source then sees the task retrying.
        def retry_ended():
            output = rulebook.output()
            return 'PLAY [Migration retry and health gate]' in output and 'PLAY RECAP' in output.split('PLAY [Migration retry and health gate]')[-1]

        rulebook.wait_for('end of the retry playbook', retry_ended, deadline)
    finally:
        rulebook.stop()

    assert [entry['path'].split('/')[-2] for entry in starts] == [str(TASK)]
    assert starts[0]['body']['migrate_failed_object'] is True
    output = rulebook.output()
    # The retry healed the task: the retry playbook's own gate passed.
    retry_play = output[output.index('PLAY [Migration retry and health gate]') :]
    recap = retry_play[retry_play.index('PLAY RECAP') :].splitlines()[1]
    assert 'failed=0' in recap and 'HEALTHY: 0 of' in retry_play, retry_play
    # The source showed the task's name defanged (--print-events); nothing rendered it.
    assert "'name': \"{ { lookup('pipe', 'touch " in output and '{{ lookup' not in output
    assert not (tmp_path / 'pwned').exists()
    for secret in (SK, SRC_SK, DST_SK):
        assert secret not in output


NOTICE = {'event': 'deadline_at_risk', 'kind': 'migration_task', 'id': TASK, 'verdict': None, 'previous_verdict': None, 'time': '2026-12-06T22:00:00.000Z'}


def _notify():
    return [{'ansible.builtin.import_playbook': 'hwcloud.migration.migration_events_notify'}]


def test_the_notification_playbook_warns_of_a_cutover_at_risk(run_playbook):
    run = run_playbook(_notify(), extra_vars={'migration_events_notice': NOTICE})
    assert run.rc == 0, run.output
    message = run.task('Show the notice')['result']['msg']
    assert message == (
        '2026-12-06T22:00:00.000Z WARNING: the cutover deadline is at risk for migration task 1001: its ETA is past the deadline, or it has none while it runs.'
    )


def test_the_notification_hook_gets_the_notice_and_its_message(run_playbook, tmp_path):
    # A real channel in place of the debug message: here a file, as a mail or chat task would send it.
    sent = tmp_path / 'sent.txt'
    hook = tmp_path / 'send.yml'
    content = '{{ migration_events_notice.verdict }}|{{ migration_events_notify_message }}'
    hook.write_text(yaml.safe_dump([{'name': 'Send', 'ansible.builtin.copy': {'dest': str(sent), 'content': content, 'mode': '0600'}}]))
    notice = dict(NOTICE, event='verdict_changed', kind='gate', id='migration_health', verdict='ERROR', previous_verdict='HEALTHY')
    run = run_playbook(_notify(), extra_vars={'migration_events_notice': notice, 'migration_events_notify_tasks': str(hook)})
    assert run.rc == 0, run.output
    assert sent.read_text() == 'ERROR|2026-12-06T22:00:00.000Z the migration_health verdict is ERROR (was HEALTHY).'
    assert run.task('Show the notice')['outcome'] == 'skipped'


@pytest.mark.parametrize(
    'change',
    [{'event': 'status_changed'}, {'kind': 'bucket'}, {'id': 'a}b'}, {'verdict': 'FINE'}, {'time': 'yesterday'}],
    ids=['event', 'kind', 'id', 'verdict', 'time'],
)
def test_the_notification_playbook_refuses_a_notice_it_does_not_know(run_playbook, change):
    run = run_playbook(_notify(), extra_vars={'migration_events_notice': dict(NOTICE, **change)})
    assert run.rc != 0 and 'migration_events_notice must be a mapping with event' in run.output, run.output
    assert run.task('Check the notice')['outcome'] == 'failed'
