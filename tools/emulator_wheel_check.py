# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make emulator-release-check`: the built emulator wheel works where users install it.

Installs the wheel from DIST into a new virtual environment in a temporary folder
outside the checkout (with the official Huawei Cloud SDK and pytest), then, from
that folder, with nothing of the checkout importable:

* ``hwc-emulator --scenario FILE`` starts and answers the official SDK;
* the package loads the contract shipped inside it, from site-packages;
* the pytest plugin (``tools/emulator_wheel/test_installed_emulator.py``) runs
  through its entry point and drives the emulator with the SDK.

Usage: python tools/emulator_wheel_check.py DIST
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / 'emulator' / 'scenarios' / 'demo.yml'
PLUGIN_TEST = REPO / 'tools' / 'emulator_wheel' / 'test_installed_emulator.py'
# The SDK is what the installed emulator is checked against; pytest runs its plugin.
TEST_REQUIREMENTS = ('huaweicloudsdkoms>=3.1', 'pytest>=7')

ORIGIN_CHECK = """
import json, hwc_emulator, hwc_emulator.contract as contract
print(json.dumps({"package": hwc_emulator.__file__, "contract": str(contract.default_schema_path()),
                  "schemas": sorted(contract.load_schemas())}))
"""


def run(command, cwd, env):
    print('$ %s' % ' '.join(str(part) for part in command), flush=True)
    return subprocess.run([str(part) for part in command], cwd=str(cwd), env=env, check=True, stdout=subprocess.PIPE, text=True).stdout


def clean_env(venv):
    """The new environment's PATH first, and nothing that could point back into the checkout."""
    env = {key: value for key, value in os.environ.items() if key not in ('PYTHONPATH', 'VIRTUAL_ENV', 'HWC_EMULATOR_SCHEMAS', 'ANSIBLE_COLLECTIONS_PATH')}
    env['PATH'] = str(venv / 'bin') + os.pathsep + env.get('PATH', '')
    env['NO_PROXY'] = env['no_proxy'] = '127.0.0.1,localhost'
    return env


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    dist = Path(argv[0]).resolve()
    wheels = sorted(dist.glob('hwc_emulator-*.whl'))
    sdists = sorted(dist.glob('hwc_emulator-*.tar.gz'))
    if len(wheels) != 1 or len(sdists) != 1:
        print('emulator-release-check: expected one wheel and one sdist in %s, found %s' % (dist, [path.name for path in wheels + sdists]), file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix='hwc-emulator-wheel-'))
    try:
        venv = work / 'venv'
        env = clean_env(venv)
        run([sys.executable, '-m', 'venv', '--without-pip', venv], work, env)
        # This interpreter's pip installs into the new environment: no pip bootstrap there.
        run([sys.executable, '-m', 'pip', '--python', venv / 'bin' / 'python', 'install', '-q', wheels[0]] + list(TEST_REQUIREMENTS), work, env)
        python = venv / 'bin' / 'python'
        origin = json.loads(run([python, '-c', ORIGIN_CHECK], work, env))
        site = str(venv)
        for key in ('package', 'contract'):
            if not origin[key].startswith(site) or origin[key].startswith(str(REPO)):
                raise SystemExit('emulator-release-check: %s comes from %s, not the new environment' % (key, origin[key]))
        if 'ShowSyncTaskResponse' not in origin['schemas']:
            raise SystemExit('emulator-release-check: the shipped contract lacks ShowSyncTaskResponse')
        print('contract shipped in the wheel: %s (%d schemas)' % (origin['contract'], len(origin['schemas'])))
        shutil.copy(str(SCENARIO), str(work / 'scenario.yml'))
        shutil.copy(str(PLUGIN_TEST), str(work / PLUGIN_TEST.name))
        # The plugin's fixture starts `hwc-emulator --host 127.0.0.1 --port 0 --scenario FILE`
        # from the environment's bin folder: the console script is exercised there.
        print(run([python, '-m', 'pytest', '-p', 'no:cacheprovider', '-q', PLUGIN_TEST.name], work, env))
        print('emulator-release-check: %s installed outside the checkout serves the official SDK' % wheels[0].name)
        return 0
    except subprocess.CalledProcessError as exc:
        print(exc.stdout or '', file=sys.stderr)
        print('emulator-release-check: %s exited with %d' % (' '.join(str(p) for p in exc.cmd), exc.returncode), file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(str(work), ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
