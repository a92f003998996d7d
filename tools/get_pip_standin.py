"""Offline stand-in for the get-pip bootstrap script that ansible-test downloads.

ansible-test runs the file cached at ~/.ansible/test/cache/get_pip_<version>.py with
pip's install arguments to put pip into each sanity virtual environment. The
download host is not reachable from these machines, while the package registries
are, so this stand-in bootstraps pip from the interpreter's bundled copy
(ensurepip, in a subprocess so it does not override the machine's pip
configuration) and then installs the requested packages from the registry.
"""

import subprocess
import sys

# Options that only the real get-pip script understands.
GET_PIP_ONLY = {'--no-setuptools', '--no-wheel'}


def main():
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade'])
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY]
    subprocess.check_call([sys.executable, '-m', 'pip', 'install'] + args)


if __name__ == '__main__':
    main()
