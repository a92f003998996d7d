"""The ``rewrite`` fault: an answer that lies in a chosen way.

A gateway with a bug, an eventually-consistent listing or a compromised
endpoint answers with a body that disagrees with itself or with the request.
``rewrite`` takes the real answer and changes it as the fault spec says, in
this order:

* ``query``: query parameters replaced before the route answers (after the
  signature check), e.g. ``{"offset": 0}`` makes every page the first one;
* ``set`` / ``delete``: JSON values set or removed by dotted path
  (``tasks.0.sync_task_id``; a number indexes a list);
* ``set_raw``: values written as raw JSON text, for what a parser can hardly
  hold (``1e400``, ``"\\ud800"``, ``[[[...]]]``);
* ``raw``: the whole body replaced by this text;
* ``pad_bytes``: that many spaces after the body (still the same JSON);
* ``gzip``: the body compressed, with ``Content-Encoding: gzip``;
* ``headers``: extra answer headers; ``status``: another status code.

Only 2xx answers are rewritten unless ``any_status`` is true.  A rewritten
answer bypasses the contract guard.
"""

import gzip as gzip_codec
import json
import uuid


def apply_query(spec, query):
    """The query the route sees: ``query`` with the fault's ``query`` values in place."""
    return {**query, **{key: str(value) for key, value in (spec.get('query') or {}).items()}}


def _split(path):
    return [int(part) if part.isdigit() else part for part in path.split('.')]


def _parent(document, parts):
    node = document
    for part in parts[:-1]:
        node = node[part]
    return node


def apply(spec, reply):
    """Rewrite ``reply`` (a :class:`.replies.Reply`) in place as ``spec`` says."""
    if reply.status >= 300 and not spec.get('any_status'):
        return
    reply.bypass_contract = True
    sentinels = {}
    if reply.raw is None and (spec.get('set') or spec.get('delete') or spec.get('set_raw')):
        body = json.loads(json.dumps(reply.body))
        for path, value in (spec.get('set') or {}).items():
            parts = _split(path)
            _parent(body, parts)[parts[-1]] = value
        for path in spec.get('delete') or []:
            parts = _split(path)
            del _parent(body, parts)[parts[-1]]
        for path, text in (spec.get('set_raw') or {}).items():
            parts = _split(path)
            marker = 'hwc-raw-%s' % uuid.uuid4().hex
            sentinels['"%s"' % marker] = text
            _parent(body, parts)[parts[-1]] = marker
        reply.body = body
    if 'raw' in spec:
        payload = spec['raw'].encode('utf-8', 'surrogatepass')
    elif reply.raw is not None:
        payload = reply.raw
    else:
        payload = json.dumps(reply.body, separators=(',', ':'), ensure_ascii=False).encode('utf-8')
        for marker, text in sentinels.items():
            payload = payload.replace(marker.encode('ascii'), text.encode('utf-8', 'surrogatepass'))
    if spec.get('pad_bytes'):
        payload += b' ' * spec['pad_bytes']
    if spec.get('gzip'):
        payload = gzip_codec.compress(payload, compresslevel=9)
        reply.headers['Content-Encoding'] = 'gzip'
    reply.raw = payload
    reply.headers.update(spec.get('headers') or {})
    if 'status' in spec:
        reply.status = spec['status']
