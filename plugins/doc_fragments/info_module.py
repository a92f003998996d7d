# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the read-only info modules share: the contract check option (CONTRACT), their attributes and the notes of a single read."""


class ModuleDocFragment(object):
    # The option of every module that reads through the collection's client
    # (hwcloud.migration.info_module.contract); DOCUMENTATION adds the attributes and
    # what reading one kind of resource means for the result, for the single info modules.
    CONTRACT = r"""
options:
  strict_contract:
    description:
      - Fail the task when a response does not match the API contract, instead of warning.
      - The contract is the collection's JSON Schemas of the API responses; fields the API
        adds over time are allowed either way.
    type: bool
    default: false
"""

    DOCUMENTATION = r"""
attributes:
  check_mode:
    support: full
    description: The module only reads; it behaves the same in check mode.
  diff_mode:
    support: none
    description: Nothing is changed, so there is nothing to diff.
notes:
  - Many resources are read concurrently in one module call, at most O(max_concurrency) requests at a time.
    Results come back in the order of the requested IDs; an ID given twice is read and returned once.
  - Every response is checked against the collection's JSON Schema of the API; a mismatch becomes a warning
    that names the field and the resource, or fails the task when O(strict_contract=true).
  - A resource the service says does not exist is listed in RV(missing) and does not fail the task.
    Only the service's own not-found codes say so (for OMS C(OMS.1009), with HTTP 400 or 404). A 404 without
    such a code (from a proxy, or the API gateway's C(APIGW.0101), a wrong endpoint) is an error for that ID,
    and so is "not found" for a resource the listing of the same call just returned (the answers disagree).
  - An answer about another resource than the one asked (its ID field names another ID) is an error for the
    asked ID (error code C(ForeignId)), never used in its place.
  - An answer holding a value the collection cannot hold (an integer outside 64 bits, a number such as
    C(1e400), C(NaN), JSON nested deeper than 64 levels, a string that is not valid Unicode) is an error for
    that ID (error code C(InvalidResponse)); the other IDs' results are kept.
  - Any other API error fails the task, but only once every ID was tried, and the result keeps every ID's
    outcome, the resources read in the usual list, RV(missing), and RV(errors) with one entry per failed ID
    (HTTP status, service error code, request ID, message). The top-level C(status), C(error_code),
    C(error_msg), C(request_id), C(method) and C(url) describe the first failure.
  - Fail fast, after 5 reads in a row failed with no HTTP answer, HTTP 429 or 5xx (each after its own retries),
    no new read is started; the IDs not read are in RV(errors) with C(attempted=false) and error code
    C(NotAttempted).
  - Credentials refused by API Gateway (401/403 C(APIGW.0301), C(APIGW.0302), C(APIGW.0303)) or a failed IAM
    token request or project lookup stop every other read of the call, so wrong credentials cost one refused
    request per call; the IDs not read are in RV(errors) with C(attempted=false), naming that failure, and the
    message says what to check.
  - An answer the health checks cannot use (a field they read absent, null or of the wrong type, a listing or
    a series that could not be read completely, a status or ID with a line break, a time left that ends after
    the year 9999) does not fail the task; it sets RV(complete=false) and is
    named in RV(problems). A gate must treat RV(complete=false) as "could not be evaluated", never as healthy.
  - A listing whose pages do not add up to its C(count) (a page short or empty before C(count) items were
    read, more items than C(count), a C(count) that changes between pages, an ID listed twice as by a
    repeated page) is incomplete, so RV(complete=false), with a problem whose C(id) is null saying why.
"""
