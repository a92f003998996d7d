"""An answer that names another id echoes what the server sent: a secret there is masked before the text is cut."""

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import check_answered_id
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.sync_tasks import _statistics_of_another_task

SECRET = 'Zq9-echoed-secret-key-0123456789abcdefghijklmnop'
# The secret starts 60 characters in: a cut at 80 would end inside it.
ECHOED = 'x' * 60 + SECRET


def _prefixes(text):
    return [SECRET[:length] for length in range(8, len(SECRET) + 1) if SECRET[:length] in text]


@pytest.mark.security
def test_an_answered_id_is_masked_before_it_is_cut():
    with pytest.raises(HuaweiCloudError) as raised:
        check_answered_id({'sync_task_id': ECHOED}, 'asked', 'sync_task_id', 'sync task', {'status': 200}, secrets={SECRET})
    message = str(raised.value)
    assert 'not the sync task asked' in message
    assert _prefixes(message) == [], message


@pytest.mark.security
def test_statistics_naming_another_task_are_masked_before_the_cut():
    error = _statistics_of_another_task('asked', {'sync_task_id': ECHOED}, {'status': 200}, secrets={SECRET})
    assert 'names sync task' in str(error)
    assert _prefixes(str(error)) == [], str(error)
