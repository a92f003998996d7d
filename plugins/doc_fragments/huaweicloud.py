# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment(object):
    """Options shared by every hwcloud.migration module (plugins/module_utils/_api/options.py)."""

    DOCUMENTATION = r"""
options:
  region:
    description:
      - Huawei Cloud region ID, for example V(cn-north-4).
      - Used to build the default service and IAM endpoints and to look up the project ID.
      - If not set, the value of the E(HW_REGION_NAME) environment variable is used.
      - Required unless O(endpoint) and O(project_id) are both set.
      - Must be a region of the official SDK's tables for OMS or ModelArts; another name fails before any request
        with the closest known region (C(unknown region 'cn-nort-4', did you mean cn-north-4?)). When O(endpoint)
        or O(iam_endpoint) is set, O(cloud) is not the default, or E(HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION>)
        names the region's endpoint, any plain region name is accepted (private clouds and the bundled emulator
        use their own).
    type: str
  project_id:
    description:
      - ID of the project (region) the resources belong to.
      - If not set, the value of E(HUAWEICLOUD_SDK_PROJECT_ID), then E(HW_PROJECT_ID), is used.
      - If none is set, the ID is looked up once per run with IAM (C(GET /v3/projects?name=<region>)),
        which fails when zero or several projects carry the region's name.
    type: str
  access_key:
    description:
      - Access key ID (AK) for AK/SK authentication. Requires O(secret_key).
      - If not set, the value of E(HUAWEICLOUD_SDK_AK), then E(HW_ACCESS_KEY), is used.
      - Exactly one authentication method may be configured, through options or environment variables;
        O(access_key) and O(secret_key) (plus O(security_token) for temporary keys),
        O(auth_token), or O(username), O(password) and O(domain_name).
    type: str
  secret_key:
    description:
      - Secret access key (SK) for AK/SK authentication. Requires O(access_key).
      - Requests are signed with SDK-HMAC-SHA256; the key itself is never sent.
      - If not set, the value of E(HUAWEICLOUD_SDK_SK), then E(HW_SECRET_KEY), is used.
    type: str
  security_token:
    description:
      - Security token of temporary access keys; sent as C(X-Security-Token) and signed.
      - Requires O(access_key) and O(secret_key).
      - If not set, the value of E(HUAWEICLOUD_SDK_SECURITY_TOKEN), then E(HW_SECURITY_TOKEN), is used.
    type: str
  auth_token:
    description:
      - An IAM token, sent as C(X-Auth-Token). It cannot be renewed by the module; tokens live 24 hours.
    type: str
  username:
    description:
      - IAM user name for password authentication. Requires O(password) and O(domain_name).
      - The module obtains a project-scoped token once per run and renews it once if it expires.
    type: str
  password:
    description:
      - Password of O(username).
    type: str
  domain_name:
    description:
      - Account (domain) name of O(username). Required with password authentication.
    type: str
  endpoint:
    description:
      - Base URL of the service this module calls, for example V(http://127.0.0.1:8080) for the bundled emulator.
      - If not set, the value of E(HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION>) is used (service and region upper case,
        V(-) replaced by V(_), for example E(HUAWEICLOUD_SDK_REGION_OMS_CN_NORTH_4)).
      - Otherwise C(https://<service>.<region>.<cloud>); ModelArts in V(ap-southeast-1) on the default cloud uses
        C(https://modelarts.ap-southeast-1.myhuaweicloud.cn).
    type: str
  iam_endpoint:
    description:
      - Base URL of IAM, used for password authentication and project ID lookup.
      - If not set, the value of E(HUAWEICLOUD_SDK_IAM_ENDPOINT), then E(HW_AUTH_URL), is used;
        otherwise C(https://iam.<region>.<cloud>).
    type: str
  cloud:
    description:
      - Domain suffix of the endpoints.
      - If not set, the value of E(HW_CLOUD) is used, else the default.
    type: str
    default: myhuaweicloud.com
  validate_certs:
    description:
      - Whether to verify the TLS certificates of the endpoints.
      - Set to V(false) only for endpoints you control.
    type: bool
    default: true
  ca_path:
    description:
      - Path of a PEM CA bundle used to verify the endpoints' certificates instead of the system store.
      - Proxy settings (E(HTTPS_PROXY), E(HTTP_PROXY), E(NO_PROXY)) and E(REQUESTS_CA_BUNDLE) from the environment
        are honoured.
    type: path
  timeout:
    description:
      - Read timeout in seconds of each HTTP attempt (the connect timeout is the smaller of this and 10 seconds).
      - The body of each answer must arrive within O(timeout) seconds of its headers, so a server that trickles
        its answer cannot hold a call; a body cut off or too slow is retried like a read error.
      - Each call has one deadline of O(timeout) * (O(retries) + 1) seconds, at most 10 minutes (a signed request
        expires after 15), from the moment it starts. Waits for O(rate_limit), retries and their waits, and the
        IAM token request made on the way all count against it; no wait or attempt that would end after it
        is started.
      - Between 0.1 and 600; infinity and NaN are refused.
    type: float
    default: 30
  retries:
    description:
      - How many times a read call is retried after a connection error, a timeout, or HTTP 429, 500, 502, 503 or 504.
      - Waits follow the C(Retry-After) response header when present (seconds or an HTTP date), else an exponential
        backoff of 0.5, 1, 2, 4 ... seconds (at most 20) before the first, second, third ... retry; either way
        up to 0.5 seconds of random jitter is added. A retry is never sent at once, and other 4xx answers are
        never retried.
      - The IAM token request of password authentication is retried the same way.
      - If not set, the value of E(HW_MAX_RETRIES) is used, else the default. Between 0 and 20.
    type: int
    default: 4
  max_concurrency:
    description:
      - Largest number of API calls in flight at once when a module fetches several resources. Between 1 and 64.
    type: int
    default: 8
  rate_limit:
    description:
      - Largest number of requests per second sent by the module (a client-side token bucket), between 0.01 and 1000.
      - If not set, requests are not rate limited on the client side.
      - Retries count as requests and wait their turn too.
      - A request that would have to wait for the rate limit past its call's deadline (see O(timeout)) fails at once,
        with a message saying so, instead of waiting.
    type: float
  max_response_bytes:
    description:
      - Largest size in bytes of one response body, after decompression (C(gzip) and C(deflate) are accepted).
      - A larger answer is refused with the error code C(ResponseTooLarge) and is not retried; it is not read
        further than the limit, so a body that inflates without end (a "gzip bomb") costs no more memory than
        this. A C(Content-Length) above the limit is refused before the body is read.
      - The default, 32 MiB, is far above the largest answer these APIs give (a page of 100 tasks, 1000
        statistics points per series). Between 1024 and 1073741824 (1 GiB).
    type: int
    default: 33554432
notes:
  - Every option that reads environment variables uses the option first, then the official Huawei Cloud SDK variable
    (E(HUAWEICLOUD_SDK_*)), then the Terraform provider variable (E(HW_*)); the first one set wins.
  - Set the connection once for a play or a block with C(module_defaults) for the action group
    C(group/hwcloud.migration.huaweicloud) (region, credentials, endpoints); the examples of the modules
    assume that, or the environment variables, and leave the connection options out.
  - Credentials are checked before any request. A credential with a line break or another control
    character (a trailing newline from a vault file or an environment variable) is refused with a message
    that does not repeat it; O(region) must be a plain host label such as V(cn-north-4) and O(cloud) a
    domain name, because both become part of host names; O(endpoint) and O(iam_endpoint) must not
    contain C(user:password@). Numeric options outside their documented ranges (infinity and NaN included)
    are refused by name, with the range.
  - With O(validate_certs=false) the task result carries a warning.
  - C(ANSIBLE_DEBUG) and C(ANSIBLE_KEEP_REMOTE_FILES) expose module arguments, secrets included, despite
    C(no_log); where they are on, give credentials through the environment variables instead.
  - Configuring credentials of two methods at once (for example E(HW_ACCESS_KEY) in the environment and O(auth_token))
    is an error that names the options to unset.
requirements:
  - python >= 3.8
  - requests >= 2.25
  - jsonschema >= 3.2
"""
