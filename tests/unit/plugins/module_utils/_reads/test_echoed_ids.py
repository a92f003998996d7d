"""An answer that names another id echoes what the server sent: a secret there is masked before the text is cut."""

import pytest

from ansible_collections.hwcloud.migration.plugins.module_utils._api.errors import HuaweiCloudError
from ansible_collections.hwcloud.migration.plugins.module_utils._reads.base import check_answered_id

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
def test_a_null_id_is_foreign_where_the_read_needs_one():
    with pytest.raises(HuaweiCloudError) as raised:
        check_answered_id({'sync_task_id': None}, 'asked', 'sync_task_id', 'sync task', {'status': 200}, null_allowed=False)
    assert raised.value.code == 'ForeignId' and 'sync task None' in str(raised.value)
    check_answered_id({'sync_task_id': None}, 'asked', 'sync_task_id', 'sync task', {'status': 200})
