"""Lines of product code per package at one or more git refs (issue 21's measure).

Product code is what ships and runs: plugins/, roles/ and the emulator's package,
without tests, docs or the API contract data (``_api_schemas.py`` / ``_api/schemas.py``).

    python tools/line_counts.py 25d231b HEAD
"""

import subprocess
import sys
from collections import Counter

ROOTS = ('plugins/', 'roles/', 'emulator/hwc_emulator/')
CONTRACT_DATA = ('plugins/module_utils/_api_schemas.py', 'plugins/module_utils/_api/schemas.py', 'emulator/hwc_emulator/_api_schemas.py')


def package(path):
    parts = path.split('/')
    if parts[0] == 'plugins' and parts[1] in ('module_utils', 'plugin_utils') and len(parts) > 3:
        return '/'.join(parts[:3])
    if parts[0] == 'roles':
        return 'roles'
    return '/'.join(parts[:2]) if parts[0] == 'plugins' else 'emulator/hwc_emulator'


def counts(ref):
    listing = subprocess.run(['git', 'ls-tree', '-r', '--format=%(objectmode) %(objectname) %(path)', ref], capture_output=True, text=True, check=True)
    result = Counter()
    for line in listing.stdout.splitlines():
        mode, blob, path = line.split(' ', 2)
        if mode == '120000' or not path.startswith(ROOTS) or path in CONTRACT_DATA or path.endswith('.md'):
            continue
        text = subprocess.run(['git', 'cat-file', 'blob', blob], capture_output=True, check=True).stdout
        result[package(path)] += text.count(b'\n')
    return result


def main(refs):
    table = [counts(ref) for ref in refs]
    names = sorted(set().union(*table))
    print('%-34s' % 'package' + ''.join('%12s' % ref[:10] for ref in refs))
    for name in names:
        print('%-34s' % name + ''.join('%12d' % column.get(name, 0) for column in table))
    print('%-34s' % 'total' + ''.join('%12d' % sum(column.values()) for column in table))


if __name__ == '__main__':
    main(sys.argv[1:] or ['HEAD'])
