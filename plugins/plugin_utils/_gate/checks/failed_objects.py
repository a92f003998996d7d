# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The failure-code checks: which codes the failed objects of a migration task, task group or sync task failed with.

With ``migration_health_failed_object_details: true`` the role reads the
failed-object lists of the failing subjects (``failed_objects_info`` of
``migration_state_info``, see ``_gate/policy.read_plan``), and each found
subject of those kinds gets one check, ``<kind>-failure-codes``: it fails
when a list holds a code ``allowed_failure_codes`` does not name.  Fail
closed: a subject that reports failed objects (or cannot say how many) and
whose list was not read, was read only in part (``complete: false``) or holds
lines that are no entry, cannot pass; its check fails as not evaluated
(verdict ERROR), unless a code it did read is already disallowed.

Plain Python on plain data; each kind's entry in ``_gate/kinds.KINDS`` wraps
its own check function with :func:`with_failure_codes`.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_count
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import SubjectChecks

# The entry keys of an object the fact keeps (the module's result has more: key_encoded, file, line).
OBJECT_KEYS = ('code', 'time', 'key', 'message')


# Codes a message names before it says "and N more" (the reports list every code).
CODES_NAMED = 3


def _codes_display(codes) -> str:
    return ', '.join(codes) if codes else '(none)'


def _codes_named(codes) -> str:
    more = len(codes) - CODES_NAMED
    return _codes_display(codes[:CODES_NAMED]) + (' and %d more' % more if more > 0 else '')


def _objects_display(counts) -> str:
    """``25 in 6 codes``: short enough for the verdict's table; the codes are in the message and the reports."""
    total = sum(counts.values())
    return '%d in %d code%s' % (total, len(counts), '' if len(counts) == 1 else 's') if counts else 'no entry'


def usable_counts(value: object) -> dict | None:
    """``value`` when it is a dict of failure code -> count, else None."""
    if not isinstance(value, dict) or not all(isinstance(code, str) and is_count(count) for code, count in value.items()):
        return None
    return value


def details_of(listed: object) -> dict | None:
    """What the fact keeps of one subject's ``failed_objects_info`` entry (None when there is none)."""
    if not isinstance(listed, dict):
        return None
    objects = listed.get('objects') if isinstance(listed.get('objects'), list) else []
    files = listed.get('files') if isinstance(listed.get('files'), list) else []
    return {
        'bucket': listed.get('bucket') if isinstance(listed.get('bucket'), str) else None,
        'list_file_key': listed.get('list_file_key') if isinstance(listed.get('list_file_key'), str) else None,
        'files': [item['key'] for item in files if isinstance(item, dict) and isinstance(item.get('key'), str)],
        'counts': dict(usable_counts(listed.get('counts')) or {}),
        'total': listed.get('total') if is_count(listed.get('total')) else None,
        'objects': [{key: item.get(key) if isinstance(item.get(key), str) else None for key in OBJECT_KEYS} for item in objects if isinstance(item, dict)],
        'unparsable_count': listed.get('unparsable_count') if is_count(listed.get('unparsable_count')) else None,
        'complete': listed.get('complete') is True,
    }


def failure_codes_check(subject: SubjectChecks, check_id: str, noun: str, count: object, listed: object, allowed: list) -> None:
    """One ``<kind>-failure-codes`` check: the codes of ``listed`` (the subject's list entry) against ``allowed``.

    ``count`` is the failed-object count the subject's own answer reports
    (``failed_num``, ``fail_num``, ``monthly_failure_object``): a subject that
    reports none has no list to read, and passes.
    """
    threshold_display = 'codes in [%s]' % _codes_display(allowed) if allowed else 'no failure code allowed'
    if listed is None:
        if is_count(count) and count == 0:
            subject.add(check_id, 0, allowed, passed=True, message='no failed objects, no list to read', threshold_display=threshold_display)
            return
        reported = '%d failed objects' % count if is_count(count) else 'an unknown number of failed objects'
        message = 'the failed-object list of the %s was not read (it reports %s)' % (noun, reported)
        subject.unusable(check_id, None, allowed, message, observed_display='not read', threshold_display=threshold_display)
        return
    counts = usable_counts(listed.get('counts') if isinstance(listed, dict) else None)
    if counts is None:
        subject.unusable(
            check_id, None, allowed, 'the counts per failure code are not a dict of counts', observed_display='unusable', threshold_display=threshold_display
        )
        return
    disallowed = sorted(code for code in counts if code not in allowed)
    observed = _objects_display(counts)
    if disallowed:
        message = '%d failed object(s) with code(s) not allowed: %s' % (sum(counts[code] for code in disallowed), _codes_named(disallowed))
        subject.add(
            check_id, _codes_display(disallowed), allowed, passed=False, message=message, observed_display=observed, threshold_display=threshold_display
        )
        return
    if not counts and is_count(count) and count > 0:
        # (A sync task's lists are found under a prefix: none there while it reports failures is no proof of none.)
        message = 'the %s reports %d failed objects, but its failed-object lists hold none' % (noun, count)
        subject.unusable(check_id, None, allowed, message, observed_display=observed, threshold_display=threshold_display)
        return
    if listed.get('complete') is not True:
        message = 'the failed-object list was read only in part (complete: false): codes further on are unseen'
        subject.unusable(check_id, None, allowed, message, observed_display=observed, threshold_display=threshold_display)
        return
    unparsable = listed.get('unparsable_count')
    if not is_count(unparsable) or unparsable:
        what = '%d line(s)' % unparsable if is_count(unparsable) else 'lines'
        message = 'the failed-object list holds %s that are no entry: their codes are unknown' % what
        subject.unusable(check_id, None, allowed, message, observed_display=observed, threshold_display=threshold_display)
        return
    message = 'every failure code is allowed' if counts else 'the list holds no failed object'
    subject.add(check_id, None, allowed, passed=True, message=message, observed_display=observed, threshold_display=threshold_display)


def with_failure_codes(evaluate, check_id: str, noun: str, count_field: str):
    """``evaluate`` (a kind's check function) plus its failure-code check when details are on.

    Details are on when the subject's thresholds hold ``allowed_failure_codes``
    (a list; the policy sets it only then).  The failed-object read is the
    kind's last read, so its entry is ``bodies[-1]``.
    """

    def evaluate_with_codes(subject, bodies, thresholds, *, now, window):
        observed = evaluate(subject, bodies, thresholds, now=now, window=window)
        allowed = thresholds.get('allowed_failure_codes')
        if isinstance(allowed, list):
            answer = bodies[0] if isinstance(bodies[0], dict) else {}
            failure_codes_check(subject, check_id, noun, answer.get(count_field), bodies[-1], allowed)
            observed = dict(observed, failed_object_details=details_of(bodies[-1]))
        return observed

    return evaluate_with_codes
