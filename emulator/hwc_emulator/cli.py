"""Command line: ``hwc-emulator [serve] ...`` and ``hwc-emulator generate ...``."""

import argparse
import signal
import sys
import threading

from . import generate
from .contract import ContractError
from .launcher import bundled_demo_scenario
from .scenario import ScenarioError
from .server import Emulator, EmulatorHTTPServer, base_url


def generate_main(argv):
    """``hwc-emulator generate``: print a scenario on stdout."""
    parser = argparse.ArgumentParser(
        prog='hwc-emulator generate', description='Write a large deterministic scenario (YAML) on stdout, for listings and benchmarks.'
    )
    parser.add_argument('--tasks', type=int, default=1000, help='number of sync tasks (default 1000)')
    parser.add_argument('--datasets', type=int, default=100, help='number of datasets (default 100)')
    parser.add_argument('--seed', default='0', help='seed: the same seed gives the same file (default 0)')
    args = parser.parse_args(argv)
    if args.tasks < 0 or args.datasets < 0:
        sys.stderr.write('hwc-emulator generate: counts must not be negative\n')
        return 2
    seed = int(args.seed) if args.seed.isdigit() else args.seed
    generate.dump_scenario(generate.make_scenario(args.tasks, args.datasets, seed), sys.stdout)
    return 0


def serve_main(argv):
    """Run the emulator until SIGTERM or SIGINT; exit code 0 on a clean stop."""
    parser = argparse.ArgumentParser(
        prog='hwc-emulator',
        description='Local emulator of Huawei Cloud OMS v2, ModelArts dataset sync and IAM. Use `hwc-emulator generate --help` to write a large scenario.',
    )
    parser.add_argument('--host', default='127.0.0.1', help='address to bind (default 127.0.0.1, loopback only)')
    parser.add_argument('--port', type=int, default=8080, help='port (0 picks a free one; default 8080)')
    parser.add_argument('--scenario', default=None, help='scenario YAML file (default: the bundled demo scenario)')
    parser.add_argument('--schemas', default=None, help='API schema file (default: $HWC_EMULATOR_SCHEMAS, else the contract shipped in this package)')
    parser.add_argument('--access-log', action='store_true', help='log every request on stderr')
    args = parser.parse_args(argv)
    scenario = args.scenario
    if scenario is None:
        demo = bundled_demo_scenario()
        if not demo.is_file():
            sys.stderr.write('hwc-emulator: no --scenario given and no bundled demo scenario found\n')
            return 2
        scenario = str(demo)
    try:
        emulator = Emulator(scenario_path=scenario, schemas_path=args.schemas, access_log=args.access_log)
        server = EmulatorHTTPServer((args.host, args.port), emulator)
    except (ScenarioError, ContractError, OSError) as exc:
        sys.stderr.write('hwc-emulator: %s\n' % exc)
        return 2
    stop = threading.Event()

    def request_stop(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.2}, daemon=True)
    thread.start()
    sys.stdout.write('Listening on %s\n' % base_url(server))
    sys.stdout.flush()
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    sys.stderr.write('hwc-emulator: stopped\n')
    return 0


def main(argv=None):
    """Console script entry point."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == 'generate':
        return generate_main(argv[1:])
    if argv and argv[0] == 'serve':
        argv = argv[1:]
    return serve_main(argv)


if __name__ == '__main__':
    sys.exit(main())
