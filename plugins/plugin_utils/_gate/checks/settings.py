# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the data is moved, as checks: the settings a subject's answer carries against ``required_settings``.

A compliance job asks not only whether the data moved but how: checked by
CRC64 or by size and time, failed objects recorded, the overwrite mode, the
destination storage class, KMS encryption on the destination, a notification
topic.  ``migration_health_required_settings`` (per subject overridable)
names the ones that matter; each is one check (``SETTING_CHECKS``) with the
observed value against the required one.  No setting required, no check.

Fail closed: an answer without the field (absent or null), or a kind whose API
does not report it (a sync task has no SMN topic), fails the check as not
evaluated, never passes.  Pure.
"""

from ansible_collections.hwcloud.migration.plugins.module_utils._api.schemas import CONSISTENCY_CHECKS, DST_STORAGE_POLICIES, OBJECT_OVERWRITE_MODES
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.checks.common import SubjectChecks
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.constants import (
    KIND_MIGRATION_TASK,
    KIND_SYNC_TASK,
    KIND_TASK_GROUP,
    MigrationHealthError,
)
from ansible_collections.hwcloud.migration.plugins.plugin_utils._gate.results import describe

# Each required setting and its check, in report order.
SETTING_CHECKS = {
    'consistency_check': 'setting-consistency-check',
    'enable_failed_object_recording': 'setting-failed-object-recording',
    'object_overwrite_mode': 'setting-object-overwrite-mode',
    'dst_storage_policy': 'setting-dst-storage-policy',
    'dst_encryption': 'setting-dst-encryption',
    'smn_topic': 'setting-smn-topic',
}
SETTING_CHECK_IDS = tuple(SETTING_CHECKS.values())
# The settings whose value is one of the API's words (a list: any of them passes).
_CHOICES = {'consistency_check': CONSISTENCY_CHECKS, 'object_overwrite_mode': OBJECT_OVERWRITE_MODES, 'dst_storage_policy': DST_STORAGE_POLICIES}
# Where each kind's answer names its notification topic (SmnInfo.topic_name).
_SMN_FIELDS = {KIND_MIGRATION_TASK: 'smn_info', KIND_TASK_GROUP: 'smn_config'}


def _choices(value, label, choices):
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not values:
        raise MigrationHealthError('%s: %r is not a value or a non-empty list of values; choose from %s' % (label, value, ', '.join(choices)))
    spelled = {choice.lower(): choice for choice in choices}
    result = []
    for item in values:
        # The API's spelling, whatever the case the user wrote it in (crc64, CRC64).
        choice = spelled.get(item.strip().lower()) if isinstance(item, str) else None
        if choice is None:
            raise MigrationHealthError('%s: %r is not one of %s' % (label, item, ', '.join(choices)))
        if choice not in result:
            result.append(choice)
    return result


def normalise_required_settings(value: object, label: str) -> dict:
    """``required_settings`` (``label`` names it in messages) validated: ``{setting: required value or None}``.

    A string setting takes one of the API's values or a list of them; the
    flags take true or false; ``smn_topic`` true (a topic), false (none) or a
    topic name.  None leaves a setting unchecked (and, in a subject's dict,
    unchecks it for that subject); ``value`` None unchecks every one.  Raises ``MigrationHealthError`` naming an
    unknown setting with the list of the known ones.
    """
    if value is None:
        # As a null threshold disables its check: in a subject's dict, none of the role-wide settings is checked.
        return dict.fromkeys(SETTING_CHECKS)
    if not isinstance(value, dict):
        raise MigrationHealthError('%s: %r is not a dict of settings (%s)' % (label, value, ', '.join(SETTING_CHECKS)))
    unknown = sorted(str(key) for key in value if key not in SETTING_CHECKS)
    if unknown:
        raise MigrationHealthError('%s: unknown setting(s) %s; the known settings are %s' % (label, ', '.join(unknown), ', '.join(SETTING_CHECKS)))
    result = {}
    for key in SETTING_CHECKS:
        if key not in value:
            continue
        given = value[key]
        where = '%s.%s' % (label, key)
        if given is None:
            result[key] = None
        elif key in _CHOICES:
            result[key] = _choices(given, where, _CHOICES[key])
        elif key == 'smn_topic' and isinstance(given, str) and given.strip():
            result[key] = given.strip()
        elif isinstance(given, bool):
            result[key] = given
        else:
            topic = ' or a topic name' if key == 'smn_topic' else ''
            raise MigrationHealthError('%s: %r is not true or false%s' % (where, given, topic))
    return result


def merged_settings(defaults: dict, overrides: dict) -> dict:
    """A subject's required settings: its own over the role-wide ones (a None of its own unchecks one)."""
    merged = dict(defaults or {})
    merged.update(overrides or {})
    return merged


class _Unknown(Exception):
    """The answer does not say what the setting is: the check is not evaluated."""


def _present(body, key):
    if key not in body:
        raise _Unknown('%s is absent from the answer' % key)
    if body[key] is None:
        raise _Unknown('%s is null' % key)
    return body[key]


def _word(body, key):
    value = _present(body, key)
    if not isinstance(value, str) or not value:
        raise _Unknown('%s is %s, not a setting' % (key, describe(value)))
    return value, value


def _recording(body, kind):
    if kind == KIND_SYNC_TASK:
        raise _Unknown('a sync task answer has no enable_failed_object_recording')
    value = _present(body, 'enable_failed_object_recording')
    if not isinstance(value, bool):
        raise _Unknown('enable_failed_object_recording is %s, not true or false' % describe(value))
    return value, 'on' if value else 'off'


def _encryption(body, kind):
    if kind == KIND_SYNC_TASK:
        # Only the older edition of ShowSyncTask answers enable_kms.
        value = _present(body, 'enable_kms')
        if not isinstance(value, bool):
            raise _Unknown('enable_kms is %s, not true or false' % describe(value))
        return value, 'KMS' if value else 'no KMS (enable_kms false)'
    node = _present(body, 'dst_node')
    if not isinstance(node, dict):
        raise _Unknown('dst_node is %s, not an object' % describe(node))
    if 'crypto_type' not in node and 'kms_key_id' not in node:
        raise _Unknown('dst_node carries neither crypto_type nor kms_key_id')
    crypto_type, key_id = node.get('crypto_type'), node.get('kms_key_id')
    if crypto_type is not None and not isinstance(crypto_type, str):
        raise _Unknown('dst_node.crypto_type is %s, not a string' % describe(crypto_type))
    if key_id is not None and not isinstance(key_id, str):
        raise _Unknown('dst_node.kms_key_id is %s, not a string' % describe(key_id))
    if crypto_type is not None and crypto_type.upper() not in ('KMS', 'DEFAULT', ''):
        raise _Unknown('dst_node.crypto_type is %r, neither KMS nor DEFAULT' % crypto_type)
    encrypted = (crypto_type or '').upper() == 'KMS' or (crypto_type is None and bool(key_id))
    return encrypted, 'KMS' if encrypted else 'no KMS (crypto_type %s)' % (crypto_type or 'unset')


def _topic(body, kind):
    field = _SMN_FIELDS.get(kind)
    if field is None:
        raise _Unknown('a sync task answer has no SMN notification settings')
    if field not in body:
        raise _Unknown('%s is absent from the answer' % field)
    smn = body[field]
    # A null SmnInfo is the API saying no notification is set.
    if smn is None:
        return None, 'no topic (%s null)' % field
    if not isinstance(smn, dict):
        raise _Unknown('%s is %s, not an object' % (field, describe(smn)))
    if 'topic_name' not in smn:
        raise _Unknown('%s.topic_name is absent from the answer' % field)
    name = smn['topic_name']
    if name is not None and not isinstance(name, str):
        raise _Unknown('%s.topic_name is %s, not a string' % (field, describe(name)))
    return (name, 'topic %s' % name) if name else (None, 'no topic')


def _observe(key, body, kind):
    """``(observed value, how the reports show it)`` of setting ``key`` in ``body``; raises ``_Unknown``."""
    if key in _CHOICES:
        return _word(body, key)
    if key == 'enable_failed_object_recording':
        return _recording(body, kind)
    if key == 'dst_encryption':
        return _encryption(body, kind)
    return _topic(body, kind)


def _required_display(key, required):
    if key in _CHOICES:
        return required[0] if len(required) == 1 else 'one of %s' % ', '.join(required)
    if key == 'enable_failed_object_recording':
        return 'on' if required else 'off'
    if key == 'dst_encryption':
        return 'KMS' if required else 'no KMS'
    if isinstance(required, str):
        return 'topic %s' % required
    return 'a topic' if required else 'no topic'


def _meets(key, observed, required):
    if key in _CHOICES:
        return observed in required
    if key == 'smn_topic':
        return observed == required if isinstance(required, str) else bool(observed) == required
    return observed == required


def settings_checks(subject: SubjectChecks, body: dict, thresholds: dict, noun: str) -> None:
    """One check per setting ``thresholds['required_settings']`` requires (None: not checked) of the subject's answer ``body``."""
    required_settings = thresholds.get('required_settings') or {}
    named = '%s %s' % (noun, subject.id)
    for key, check_id in SETTING_CHECKS.items():
        required = required_settings.get(key)
        if required is None:
            continue
        shown = _required_display(key, required)
        try:
            observed, observed_display = _observe(key, body, subject.kind)
        except _Unknown as unknown:
            message = '%s: %s, so whether %s is %s as required is unknown' % (named, unknown, key, shown)
            subject.unusable(check_id, None, required, message, observed_display='unknown', threshold_display=shown)
            continue
        passed = _meets(key, observed, required)
        message = '%s: %s is %s, %s' % (named, key, observed_display, 'as required' if passed else 'not %s as required' % shown)
        subject.add(check_id, observed, required, passed=passed, message=message, observed_display=observed_display, threshold_display=shown)
