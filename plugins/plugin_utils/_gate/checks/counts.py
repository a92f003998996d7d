# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``counts-add-up``: the object counts of a migration task or task group against its total.

A lie detector for the counts the verdict rests on.  A subject that ran to its
end has handled every object once: succeeded + failed + skipped = total.  One
still running, or stopped or failed part-way (fewer bytes done than its total
size), has handled some of them: the sum never exceeds the total.  Pure.
"""

from typing import NamedTuple

from ansible_collections.hwcloud.migration.plugins.module_utils._values import is_count
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import SubjectChecks
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import describe

CHECK_ID = 'counts-add-up'


class CountRule(NamedTuple):
    """A kind's count fields (total, succeeded, failed, skipped) and which statuses must add up.

    ``ended``: statuses that mean the subject ran to its end; ``halted``:
    statuses that end a subject, at its end or part-way, which its sizes
    (``complete_size`` against ``total_size``) tell apart.
    """

    fields: tuple
    ended: frozenset
    halted: frozenset


# TaskResp: 5 succeeded; 3 stopped and 4 failed may have stopped part-way.
TASK_COUNTS = CountRule(('total_num', 'successful_num', 'failed_num', 'skipped_num'), frozenset([5]), frozenset([3, 4]))
# TaskGroupResp: 6 completed; 5 migration failed may have failed part-way.
GROUP_COUNTS = CountRule(('total_num', 'success_num', 'fail_num', 'skip_num'), frozenset([6]), frozenset([5]))


def _part_way(body):
    """True when fewer bytes were done than the total, False when all were, None when the sizes are not counts."""
    done, total = body.get('complete_size'), body.get('total_size')
    if not (is_count(done) and is_count(total)):
        return None
    return done < total


def counts_check(subject: SubjectChecks, body: dict, rule: CountRule, status: object, status_names: dict, noun: str) -> None:
    """``counts-add-up`` of one migration task or task group (``body``, its ``status`` integer)."""
    named = '%s %s' % (noun, subject.id)
    values = [body.get(field) for field in rule.fields]
    unusable = ['%s is %s' % (field, describe(value) if field in body else 'absent') for field, value in zip(rule.fields, values) if not is_count(value)]
    if unusable:
        message = '%s: %s, not a count, so whether its counts add up is unknown' % (named, '; '.join(unusable))
        subject.unusable(CHECK_ID, None, None, message, observed_display='unknown', threshold_display='add up to total_num')
        return
    total, succeeded, failed, skipped = values
    handled = succeeded + failed + skipped
    sums = '%d succeeded + %d failed + %d skipped = %d' % (succeeded, failed, skipped, handled)
    at_most = {'observed_display': sums, 'threshold_display': '<= total_num %d' % total}
    if handled > total:
        message = '%s: the counts do not add up: %s, more than its total_num %d' % (named, sums, total)
        subject.add(CHECK_ID, handled, total, passed=False, message=message, **at_most)
        return
    status_name = status_names.get(status) if status in status_names else None
    exact = {'observed_display': sums, 'threshold_display': '= total_num %d' % total}
    if handled == total:
        # Every object handled once: the counts add up whatever the status.
        subject.add(CHECK_ID, handled, total, passed=True, message='%s: %s, its total_num' % (named, sums), **exact)
        return
    if status_name is None:
        message = '%s: its status is %s, so whether its counts must reach its total_num %d is unknown (%s)' % (named, describe(status), total, sums)
        subject.unusable(CHECK_ID, handled, total, message, **at_most)
        return
    part_way = _part_way(body) if status in rule.halted else None
    if status in rule.halted and part_way is None:
        message = '%s is %s: complete_size or total_size is not a count, so whether it ended part-way (%s, below its total_num %d) is unknown'
        subject.unusable(CHECK_ID, handled, total, message % (named, status_name, sums, total), **at_most)
        return
    if status in rule.ended or (status in rule.halted and not part_way):
        message = '%s is %s and done, but the counts do not add up: %s, not its total_num %d (%d object(s) unaccounted for)'
        subject.add(CHECK_ID, handled, total, passed=False, message=message % (named, status_name, sums, total, total - handled), **exact)
        return
    why = 'ended part-way (complete_size below total_size)' if part_way else 'not done'
    message = '%s is %s, %s: %s, within its total_num %d' % (named, status_name, why, sums, total)
    subject.add(CHECK_ID, handled, total, passed=True, message=message, **at_most)
