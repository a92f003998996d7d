# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Appended by `make docs` (mk/ecosystem.mk) to the conf.py that `antsibull-docs
# sphinx-init` generates in build/docs, so the generated part stays antsibull-docs'
# own and only these settings are ours.
import re as _re

from docutils import nodes as _nodes

# Offline build: no inventory downloads. The few Ansible docsite labels that
# antsibull-docs' pages refer to resolve to fixed URLs instead (_ANSIBLE_LABELS).
intersphinx_mapping = {}

# The guides are Markdown (docs/*.md, read on GitHub too): MyST parses them, and
# GitHub-style heading anchors keep links such as `guide.md#some-heading` valid.
extensions = globals().get('extensions', []) + ['myst_parser']  # the generated part defines the list
myst_heading_anchors = 4

_ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/devel/'
_ANSIBLE_LABELS = {
    'ansible_configuration_settings': ('reference_appendices/config.html', 'Ansible Configuration Settings'),
    'action_plugins': ('plugins/action.html', 'Action plugins'),
    'common_return_values': ('reference_appendices/common_return_values.html', 'Return Values'),
}
# A guide links to a plugin's or role's source, which GitHub shows; on the docsite
# that link becomes a reference to the plugin's or role's page (antsibull-docs'
# label), so a link to a plugin without a page fails the build like any other.
_SOURCE_LINK = _re.compile(
    r'^(?:\.\./)+(?:plugins/(?P<dir>[a-z_]+)/(?P<plugin>\w+)\.(?:py|yml|yaml)'
    r'|roles/(?P<role>\w+)(?:/[^#]*)?)$'
)
# plugins/ directory -> plugin type in antsibull-docs' labels; the others are the same.
_PLUGIN_TYPES = {'modules': 'module'}


def _source_links_to_pages(app, doctree):
    from sphinx import addnodes

    for node in list(doctree.findall(addnodes.pending_xref)):
        if node.get('reftype') != 'myst':
            continue
        match = _SOURCE_LINK.match(node.get('reftarget', ''))
        if not match:
            continue
        if match.group('role'):
            page = '%s_role' % match.group('role')
        else:
            page = '%s_%s' % (match.group('plugin'), _PLUGIN_TYPES.get(match.group('dir'), match.group('dir')))
        node['refdomain'], node['reftype'] = 'std', 'ref'
        node['reftarget'] = 'ansible_collections.hwcloud.migration.%s' % page
        node['refexplicit'] = True


def _ansible_docsite_label(app, env, node, contnode):
    target = node.get('reftarget', '')
    if node.get('refdomain') != 'std' or node.get('reftype') != 'ref' or target not in _ANSIBLE_LABELS:
        return None
    page, title = _ANSIBLE_LABELS[target]
    if not node.get('refexplicit'):
        contnode = _nodes.inline(title, title)
    reference = _nodes.reference('', '', internal=False, refuri=_ANSIBLE_DOCS + page)
    reference.append(contnode)
    return reference


def setup(app):
    app.connect('doctree-read', _source_links_to_pages)
    app.connect('missing-reference', _ansible_docsite_label)
