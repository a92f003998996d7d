"""IAM (Keystone v3): password tokens and the project list."""

import json

from .replies import Reply, iam_error
from .timeexpr import iso_utc


def _dig(document, *keys):
    for key in keys:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def create_token(ctx):
    """POST /v3/auth/tokens with the password method; 201 and X-Subject-Token."""
    state = ctx.state
    try:
        request = json.loads(ctx.body.decode('utf-8') or 'null')
    except (UnicodeDecodeError, ValueError):
        return iam_error(400, 'The request body is not valid JSON.')
    identity = _dig(request, 'auth', 'identity')
    if not isinstance(identity, dict):
        return iam_error(400, 'auth.identity is required.')
    methods = identity.get('methods') or []
    if 'password' not in methods:
        return iam_error(401, 'Only the password method is supported by this emulator.')
    user_doc = _dig(identity, 'password', 'user') or {}
    domain_doc = user_doc.get('domain') or {}
    domain_name = domain_doc.get('name')
    if domain_name is None and domain_doc.get('id') == state.domain_id:
        domain_name = state.domain_name
    user = state.users.get((domain_name, user_doc.get('name')))
    if user is None or user.password != user_doc.get('password'):
        return iam_error(401, 'The username or password is wrong.')
    scope = _dig(request, 'auth', 'scope') or {}
    project = None
    if isinstance(scope.get('project'), dict):
        wanted = scope['project']
        if wanted.get('id'):
            project = state.projects.get(wanted['id'])
        elif wanted.get('name'):
            named = state.projects_named(wanted['name'])
            project = named[0] if named else None
        if project is None:
            return iam_error(400, 'The project in the scope does not exist.')
        if user.projects is not None and project['id'] not in user.projects:
            return iam_error(401, 'The user has no access to the project in the scope.')
    token = state.issue_token(project['id'] if project else None, user.name)
    domain = {'id': state.domain_id, 'name': state.domain_name}
    body_token = {'expires_at': iso_utc(token.expires_ms), 'issued_at': iso_utc(ctx.now), 'methods': ['password']}
    if project is not None:
        body_token['project'] = {'id': project['id'], 'name': project['name'], 'domain': domain}
    elif isinstance(scope.get('domain'), dict):
        body_token['domain'] = domain
    body_token['user'] = {'id': user.user_id, 'name': user.name, 'domain': domain, 'password_expires_at': ''}
    body_token.update(roles=[{'id': '0', 'name': 'op_service'}], catalog=[])
    return Reply(201, {'token': body_token}, schema='KeystoneCreateTokenResponse', headers={'X-Subject-Token': token.token})


def list_projects(ctx):
    """GET /v3/projects?name=REGION (the caller must be authenticated)."""
    return _projects_reply(ctx.state.projects_named(ctx.query.get('name')), '/v3/projects')


def _projects_reply(projects, path):
    body = {'projects': projects, 'links': {'self': path, 'previous': None, 'next': None}}
    return Reply(200, body, schema='KeystoneListProjectsResponse')


def list_auth_projects(ctx):
    """GET /v3/auth/projects: the projects the caller's credential may use.

    An AK/SK pair or a user limited to some projects sees only those; a token
    sees what its user sees, and a static token only the project it is scoped to.
    """
    state = ctx.state
    principal = ctx.principal
    allowed = None
    if principal.kind == 'token':
        users = [user for user in state.users.values() if user.name == principal.name]
        if users:
            allowed = users[0].projects
        elif principal.token_project is not None:
            allowed = frozenset([principal.token_project])
    else:
        allowed = principal.projects
    return _projects_reply([p for p in state.projects_named(None) if allowed is None or p['id'] in allowed], '/v3/auth/projects')
