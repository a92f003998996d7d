# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry rounds of the migration_retry role: read the selection, retry what failed, wait, again.

Plain Python: every API call goes through ``call(module, args)``, which runs
one module of the collection and returns its result (the action plugin runs the
real module; the unit tests give a fake), and time comes from ``clock()`` in
milliseconds, so the rounds are tested without Ansible or a cloud.

Which calls are sent when, and why they are safe:

- the reads (``oms_migration_task_info``, ``oms_task_group_info``) change nothing;
- a retry is ``state: started`` of the lifecycle module, sent once per round and
  only for a task or group this run has just read (or waited on) as failed; the
  module itself reads the resource again before it writes, so a task that is
  already running again is left alone (no second retry);
- a wait is ``state: present`` with ``wait_for: finished`` and no credential: it
  only reads.
A result never holds a credential: the module masks its ``no_log`` options, and
only ids, statuses, counts and the service's error fields are kept here.
"""

KINDS = {
    'migration_task': {
        'plan': 'migration_tasks',
        'info': 'hwcloud.migration.oms_migration_task_info',
        'ids_option': 'task_ids',
        'listed': 'migration_tasks',
        'id_key': 'id',
        'module': 'hwcloud.migration.oms_migration_task',
        'resource': 'migration_task',
        'failed_status': 4,
        'failed_count': 'failed_num',
    },
    'task_group': {
        'plan': 'task_groups',
        'info': 'hwcloud.migration.oms_task_group_info',
        'ids_option': 'group_ids',
        'listed': 'task_groups',
        'id_key': 'group_id',
        'module': 'hwcloud.migration.oms_task_group',
        'resource': 'task_group',
        'failed_status': 5,
        'failed_count': 'fail_num',
    },
}
# Groups first: a failed member task of a group retried in the same round is retried with it.
KIND_ORDER = ('task_group', 'migration_task')
_ERROR_FIELDS = (('status', 'http_status'), ('error_code', 'error_code'), ('request_id', 'request_id'))


def _status(resource):
    """The resource's status as an int, or None when the answer has none that can be read."""
    status = resource.get('status') if isinstance(resource, dict) else None
    if isinstance(status, bool):
        return None
    if isinstance(status, int):
        return status
    if isinstance(status, str) and status.strip().isdigit():
        return int(status)
    return None


def _failure(result, step):
    """A failed module result as plain fields: the step, the message and the service's status, code and request id."""
    failure = {'step': step, 'msg': str(result.get('msg') or 'the module failed without a message')}
    for key, name in _ERROR_FIELDS:
        if result.get(key) is not None:
            failure[name] = result[key]
    return failure


def read_selection(plan, call):
    """``(subjects, errors)``: every resource the plan names, as ``{'kind', 'id', 'status', 'group_id'}``, and the read failures.

    A read that failed on some ids still gives what it read; each id it could
    not read, and each requested id the service does not know, is an error.
    """
    subjects, errors = [], []
    for kind in KIND_ORDER:
        spec, part = KINDS[kind], plan[KINDS[kind]['plan']]
        if not part['all'] and not part['ids']:
            continue
        result = call(spec['info'], {} if part['all'] else {spec['ids_option']: list(part['ids'])})
        for resource in result.get(spec['listed']) or []:
            if not isinstance(resource, dict) or resource.get(spec['id_key']) in (None, ''):
                continue
            subjects.append({'kind': kind, 'id': str(resource[spec['id_key']]), 'status': _status(resource), 'group_id': resource.get('group_id')})
        for missing in result.get('missing') or []:
            errors.append({'step': 'read', 'kind': kind, 'id': str(missing), 'msg': '%s %s does not exist' % (kind.replace('_', ' '), missing)})
        if result.get('failed'):
            failures = result.get('errors') or [{}]
            for failure in failures:
                entry = dict(_failure(dict(result, **failure), 'read'), kind=kind)
                if failure.get('id') is not None:
                    entry['id'] = str(failure['id'])
                if failure.get('message'):
                    entry['msg'] = str(failure['message'])
                errors.append(entry)
    return subjects, errors


def choose(subjects):
    """``(to_retry, left)``: the failed subjects, and the others with why they are left alone.

    A failed member task of a failed group that is retried is left to the group's
    retry (RetryTaskGroup restarts its failed members; a second start of the same
    task would be refused as in progress).
    """
    groups = set(subject['id'] for subject in subjects if subject['kind'] == 'task_group' and subject['status'] == KINDS['task_group']['failed_status'])
    to_retry, left = [], []
    for subject in subjects:
        spec = KINDS[subject['kind']]
        entry = {'kind': subject['kind'], 'id': subject['id'], 'status': subject['status']}
        if subject['status'] is None:
            left.append(dict(entry, reason='its status could not be read'))
        elif subject['status'] != spec['failed_status']:
            left.append(dict(entry, reason='not failed'))
        elif subject['kind'] == 'migration_task' and subject.get('group_id') in groups:
            left.append(dict(entry, reason='retried with its task group %s' % subject['group_id']))
        else:
            to_retry.append(entry)
    return to_retry, left


def end_ms(plan, kind, subject_id, start_ms):
    """When the waiting for one subject ends: ``timeout`` after the start, or its cutover deadline when sooner."""
    end = start_ms + plan['timeout'] * 1000
    deadline = plan[KINDS[kind]['plan']]['deadlines'].get(subject_id) or plan['deadline']
    if deadline.get('deadline_ms') is not None:
        end = min(end, deadline['deadline_ms'])
    elif deadline.get('deadline_offset_ms') is not None:
        end = min(end, start_ms + deadline['deadline_offset_ms'])
    return end


def node_credentials(subject_id, credentials):
    """``(src_node, dst_node)`` for one subject: its entry of ``by_id`` for a side it names (whole), else the common one."""
    own = (credentials.get('by_id') or {}).get(subject_id) or {}
    nodes = []
    for side in ('src', 'dst'):
        given = own.get(side) if own.get(side) is not None else credentials.get(side)
        nodes.append({key: value for key, value in (given or {}).items() if value is not None})
    return nodes[0], nodes[1]


def _seconds(millis):
    return max(1, int(millis // 1000))


def _retry(target, plan, call, credentials, left_ms):
    """Send one retry; None when it was sent (or the resource needed none), else the failure."""
    spec = KINDS[target['kind']]
    src_node, dst_node = node_credentials(target['id'], credentials)
    args = dict(
        id=target['id'],
        state='started',
        failed_objects_only=plan['failed_objects_only'],
        src_node=src_node,
        dst_node=dst_node,
        # Bounds the module's resends of a retry the service refused as in progress (OMS.0063).
        wait_timeout=_seconds(left_ms),
        poll_interval=min(plan['poll_interval'], _seconds(left_ms)),
    )
    result = call(spec['module'], args)
    if result.get('failed'):
        return _failure(result, 'retry')
    target['retries_sent'] += int(bool(result.get('changed')))
    return None


def _wait(target, plan, call, left_ms):
    """Wait until the subject has finished; its outcome: succeeded, failed (retry again), timed_out, or an error."""
    spec = KINDS[target['kind']]
    timeout = _seconds(left_ms)
    args = dict(id=target['id'], state='present', wait=True, wait_for='finished', wait_timeout=timeout, poll_interval=min(plan['poll_interval'], timeout))
    result = call(spec['module'], args)
    resource = result.get(spec['resource'])
    target['status'] = _status(resource) if resource else target['status']
    if not result.get('failed'):
        target['failed_objects'] = resource.get(spec['failed_count']) if isinstance(resource, dict) else None
        return 'succeeded', None
    if result.get('timed_out'):
        return 'timed_out', _failure(result, 'wait')
    if target['status'] == spec['failed_status']:
        target['failed_objects'] = result.get(spec['failed_count'])
        target['error_reason'] = result.get('error_reason')
        return 'failed', None
    return 'error', _failure(result, 'wait')


def run_rounds(plan, *, call, clock, check_mode, credentials):
    """Read the selection, retry what failed, wait until it finished, up to ``plan['attempts']`` rounds.

    Returns ``{'retried': [...], 'left': [...], 'errors': [...], 'changed': bool}``.
    Each retried subject has ``kind``, ``id``, ``outcome`` (``succeeded``,
    ``failed`` after its last round, ``timed_out``, ``out_of_time`` before a round
    could start, ``error``, or ``would_retry`` in check mode), ``attempts`` (rounds
    started), ``retries_sent``, ``status`` and, when known, ``failed_objects``,
    ``error_reason`` and ``error``.  ``credentials`` is ``{'src', 'dst',
    'by_id'}``; in check mode nothing but the reads is sent.
    """
    subjects, errors = read_selection(plan, call)
    to_retry, left = choose(subjects)
    start = clock()
    targets = []
    for entry in to_retry:
        target = dict(entry, outcome='would_retry' if check_mode else 'failed', attempts=0, retries_sent=0)
        target['end_ms'] = end_ms(plan, entry['kind'], entry['id'], start)
        targets.append(target)
    pending = [] if check_mode else list(targets)
    for _round in range(plan['attempts']):
        if not pending:
            break
        started = []
        for target in pending:
            left_ms = target['end_ms'] - clock()
            if left_ms < 1000:
                target['outcome'] = 'out_of_time'
                continue
            target['attempts'] += 1
            failure = _retry(target, plan, call, credentials, left_ms)
            if failure:
                target.update(outcome='error', error=failure)
                errors.append(dict(failure, kind=target['kind'], id=target['id']))
            else:
                started.append(target)
        pending = []
        for target in started:
            outcome, failure = _wait(target, plan, call, max(1000, target['end_ms'] - clock()))
            target['outcome'] = outcome
            if failure:
                target['error'] = failure
                if outcome == 'error':
                    errors.append(dict(failure, kind=target['kind'], id=target['id']))
            if outcome == 'failed':
                pending.append(target)
    for target in targets:
        target.pop('end_ms')
    # Check mode: changed says that a retry would be sent.
    changed = bool(targets) if check_mode else any(target['retries_sent'] for target in targets)
    return {'retried': targets, 'left': left, 'errors': errors, 'changed': changed}


_OUTCOME_WORDS = {
    'succeeded': 'succeeded',
    'failed': 'still failed',
    'timed_out': 'still running when the wait ended',
    'out_of_time': 'no time left to retry it before the cutover deadline or the timeout',
    'error': 'could not be retried',
    'would_retry': 'would be retried (check mode)',
}


def summary_lines(outcome) -> list:
    """What the rounds did, one line per subject, for the role to show."""
    retried = outcome['retried']
    lines = ['%d failed migration task(s) and task group(s) to retry, %d left alone' % (len(retried), len(outcome['left']))]
    for target in retried:
        line = '%s %s: %s' % (target['kind'].replace('_', ' '), target['id'], _OUTCOME_WORDS[target['outcome']])
        if target['attempts']:
            line += ' after %d round(s)' % target['attempts']
        if target.get('failed_objects'):
            line += ', %s failed object(s)' % target['failed_objects']
        lines.append(line)
    for error in outcome['errors']:
        if error['step'] == 'read':
            lines.append('%s %s: could not be read: %s' % (error['kind'].replace('_', ' '), error.get('id', ''), error['msg']))
    return lines
