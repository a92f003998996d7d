# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How many tests each suite ran, against the floors in tests/floors.json.

A suite that quietly runs fewer tests (a file no longer collected, a module-level
skip, a missing optional package) still passes with pytest; this makes it fail.
The Makefile runs every suite with ``--junitxml=build/test-results/SUITE.xml``.

    python tools/test_floors.py check SUITE     one suite: print its counts, fail below its floor
    python tools/test_floors.py summary         every suite of tests/floors.json (all must have run)

A floor is raised when tests are added (``make test`` says by how much a suite is
above it) and lowered only on purpose, with the commit that removes tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys
from pathlib import Path
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parents[1]
FLOORS = REPO / 'tests' / 'floors.json'
RESULTS = REPO / 'build' / 'test-results'


def counts(path):
    """``{tests, failures, errors, skipped, ran, skipped_names}`` from a JUnit XML file of pytest."""
    root = ElementTree.parse(str(path)).getroot()
    suites = [root] if root.tag == 'testsuite' else root.findall('testsuite')
    total = dict((key, sum(int(suite.get(key, 0)) for suite in suites)) for key in ('tests', 'failures', 'errors', 'skipped'))
    total['ran'] = total['tests'] - total['skipped']
    total['skipped_names'] = [
        '%s::%s' % (case.get('classname'), case.get('name')) for suite in suites for case in suite.iter('testcase') if case.find('skipped') is not None
    ]
    return total


def check(suite, floors, quiet=False):
    """Print the suite's line; return an error message, or None when it is at or above its floor."""
    floor = floors.get(suite)
    if floor is None:
        return '%s: no floor in %s' % (suite, FLOORS.relative_to(REPO))
    path = RESULTS / ('%s.xml' % suite)
    if not path.is_file():
        return '%s: no results (%s): the suite did not run' % (suite, path.relative_to(REPO))
    found = counts(path)
    line = '%-12s %4d tests ran (%d failed, %d errors, %d skipped); floor %d' % (
        suite + ':',
        found['ran'],
        found['failures'],
        found['errors'],
        found['skipped'],
        floor,
    )
    print(line)
    if not quiet:
        for name in found['skipped_names']:
            print('    skipped: %s' % name)
    if found['ran'] < floor:
        return (
            '%s ran %d tests, fewer than its floor of %d (tests/floors.json): a test file is no longer '
            'collected or tests skip as a whole; lower the floor only when tests were removed on purpose' % (suite, found['ran'], floor)
        )
    return None


def main(argv):
    floors = json.loads(FLOORS.read_text())
    if argv[:1] == ['check'] and len(argv) == 2:
        problems = [check(argv[1], floors)]
    elif argv == ['summary']:
        print('Tests run per suite:')
        problems = [check(suite, floors, quiet=True) for suite in sorted(floors)]
    else:
        print(__doc__, file=sys.stderr)
        return 2
    problems = [problem for problem in problems if problem]
    for problem in problems:
        print('test-floors: %s' % problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
