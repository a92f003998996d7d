# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an event of ``hwcloud.migration.migration_events`` may show: no secret, no template, a checked id.

ansible-rulebook hands an event to a playbook as extra vars, and Ansible
templates extra vars: a task name such as ``{{ lookup('pipe', 'rm -rf ~') }}``
read from the API would run on the controller the moment a playbook printed
it.  So before an event reaches the queue:

* every text it holds (``previous``, ``current``, ``summary``, keys and values
  at any depth) is masked with the connection's secrets, then defanged by
  :func:`defang`: a space goes after each ``{`` that opens a Jinja delimiter
  (``{{``, ``{%``, ``{#``), so ``{{ x }}`` shows as ``{ { x }}``;
* its ``id`` is kept only when it is an id the modules accept for its kind (a
  migration task's is a whole number; a sync task's, a dataset's or a task
  group's 1 to 255 characters without control characters) and defanging leaves
  it unchanged; any other id is ``None`` (the summary still shows it,
  defanged), so a rulebook that passes ``event.id`` on passes a real id or none.
"""

import re
from typing import Any, Iterable, Optional

from ansible_collections.hwcloud.migration.plugins.module_utils._api.endpoints import quote_path_param
from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import ParameterError, mask_secrets
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.migration_summary import MigrationValueError, parse_task_id
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import KIND_MIGRATION_TASK

# A '{' that opens a Jinja expression, statement or comment.
_OPENER_RE = re.compile(r'\{(?=[{%#])')
# The ids the source names itself (the gate's verdict), not read from an API.
OWN_IDS = frozenset(['migration_health'])


def defang(text: str) -> str:
    """``text`` with a space after every ``{`` that opens a Jinja delimiter: no ``{{``, ``{%`` or ``{#`` remains."""
    return _OPENER_RE.sub('{ ', text)


def checked_id(kind: str, value: Any) -> Optional[str]:
    """``value`` as an event's id when the modules accept it for ``kind`` and it holds no Jinja opener, else None."""
    if value is None:
        return None
    if value in OWN_IDS:
        return value
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    try:
        if kind == KIND_MIGRATION_TASK:
            parse_task_id(text)
        else:
            quote_path_param('id', text)
    except (MigrationValueError, ParameterError):
        return None
    return text if defang(text) == text else None


def _shown(value: Any, secrets: Iterable[str]) -> Any:
    if isinstance(value, str):
        return defang(mask_secrets(value, secrets))
    if isinstance(value, dict):
        return {_shown(key, secrets): _shown(item, secrets) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_shown(item, secrets) for item in value]
    return value


def shown_event(event: dict, secrets: Iterable[str]) -> dict:
    """``event`` as it may go on the queue: texts masked and defanged, the id checked."""
    shown = _shown(event, secrets)
    shown['id'] = checked_id(event['kind'], event['id'])
    return shown
