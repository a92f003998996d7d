# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The regions of the services the collection calls, as the official SDK's region tables list them.

Data only, plus the lookup that turns a typo into "did you mean".  The tables
are copied from ``huaweicloudsdkoms.v2.region.oms_region`` and
``huaweicloudsdkmodelarts.v1.region.modelarts_region`` (in their order); a
unit test (tests/unit/plugins/module_utils/test_regions.py) compares them with
the installed SDK so that they cannot drift.

A region is *known* when either service lists it: a ModelArts-only region
(cn-north-2, for example) is a region all the same, and the service's own
answer says more than a guess here would.
"""

import difflib
from typing import Optional

SERVICE_REGIONS = {
    'oms': (
        'cn-north-4',
        'cn-north-1',
        'cn-east-2',
        'cn-east-3',
        'cn-south-1',
        'ap-southeast-1',
        'ap-southeast-3',
        'la-south-2',
        'cn-south-4',
        'cn-southwest-2',
        'ap-southeast-4',
        'cn-north-9',
        'ap-southeast-2',
        'la-north-2',
        'tr-west-1',
        'sa-brazil-1',
        'me-east-1',
        'af-south-1',
        'cn-east-4',
        'ap-southeast-5',
        'cn-north-12',
    ),
    'modelarts': (
        'cn-north-1',
        'cn-north-4',
        'cn-south-1',
        'ap-southeast-1',
        'ap-southeast-2',
        'ap-southeast-3',
        'cn-east-3',
        'cn-east-4',
        'la-south-2',
        'af-south-1',
        'cn-north-9',
        'tr-west-1',
        'ap-southeast-4',
        'me-east-1',
        'cn-southwest-2',
        'cn-north-2',
        'sa-brazil-1',
        'la-north-2',
        'af-north-1',
        'cn-north-12',
        'cn-southwest-3',
        'cn-north-11',
    ),
}

KNOWN_REGIONS = frozenset(region for regions in SERVICE_REGIONS.values() for region in regions)


def is_known_region(region: str) -> bool:
    """Whether ``region`` is in the SDK's table of a service the collection calls."""
    return region in KNOWN_REGIONS


def closest_region(region: str) -> Optional[str]:
    """The known region most like ``region`` (a typo's likely meaning), or None when none is close."""
    matches = difflib.get_close_matches(region, sorted(KNOWN_REGIONS), n=1, cutoff=0.6)
    return matches[0] if matches else None
