# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A fake OMS project for the lifecycle runs: show and list read its resources; writes are recorded, a create adds one."""

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError


class Project:
    """Resources by ``id_key``; ``items_key`` names the listing's list; ``created`` is what a create adds."""

    secrets = ()

    def __init__(self, *resources, id_key, items_key, created):
        self.id_key = id_key
        self.items_key = items_key
        self.created = created
        self.resources = dict((str(r[id_key]), r) for r in resources)
        self.writes = []
        self.not_repeatable = []

    def build_path(self, template, params):
        return template.format(project_id='p1', **params)

    def get_json(self, path, path_params=None, query=None, limits=None):
        meta = {'status': 200, 'request_id': 'r', 'url': path}
        if path_params:
            found = self.resources.get(str(next(iter(path_params.values()))))
            if found is None:
                raise HuaweiCloudError('gone', status=400, code='OMS.1009')
            return dict(found), meta
        listed = list(self.resources.values())[query['offset'] : query['offset'] + query['limit']]
        return {'count': len(self.resources), self.items_key: listed}, meta

    def _write(self, method, path, params, body):
        self.writes.append((method, self.build_path(path, params or {}), body))
        if method == 'POST' and not params:
            self.resources[str(self.created[self.id_key])] = dict(self.created)
            return {self.id_key: self.created[self.id_key]}, {'status': 200, 'request_id': 'w'}
        return None, {'status': 200, 'request_id': 'w'}

    def post_json(self, path, path_params=None, body=None):
        return self._write('POST', path, path_params, body)

    def put_json(self, path, path_params=None, body=None, repeatable=True):
        if not repeatable:
            self.not_repeatable.append(self.build_path(path, path_params or {}))
        return self._write('PUT', path, path_params, body)

    def delete(self, path, path_params=None):
        return self._write('DELETE', path, path_params, None)


def options(argument_spec, **given):
    """Module params: every option's default, then ``given``."""
    values = dict((name, spec.get('default')) for name, spec in argument_spec.items())
    values.update(given)
    return values
