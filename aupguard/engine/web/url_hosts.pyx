# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The hosts of a batch of requests, cut in C where the request names one plainly.

`plain_hosts(urls)` gives, for each URL, the host `WebGuard` cuts from it in Python (`_authority`
and `_host` in `aupguard/engine/web/guard.py`): the authority is the URL itself for a CONNECT
``host:port``, else what follows ``http://`` or ``https://`` (or nothing) up to the first ``/``;
when it is a plain lower-case name of two labels or more, with an optional trailing dot and port
(`guard._PLAIN_AUTHORITY`), the host is that name. Anything else (capitals, userinfo, brackets,
another scheme, a character outside ASCII) gets None: the guard's Python path reads it. A guard
looks a whole batch's hosts up at once with these, so that a new URL on a host it has decided costs
no Python code (tests/engine/web/test_guard.py compares the two cuts).
"""

from cpython.list cimport PyList_New, PyList_SET_ITEM
from cpython.ref cimport Py_INCREF

from aupguard.engine.str_data cimport *  # the str calls (str_data.pxd)

# Characters of a label: a-z 0-9 _ -.
cdef bint[128] LABEL
for _c in range(128):
    LABEL[_c] = (97 <= _c <= 122) or (48 <= _c <= 57) or _c == 95 or _c == 45


cdef object plain_host(const unsigned char* url, Py_ssize_t size):
    cdef Py_ssize_t start = 0, end, i, colon, labels = 1
    cdef bint slash = False
    for i in range(size):
        if url[i] == 47:
            slash = True
            break
    if slash:
        if size >= 7 and url[0] == 104 and url[1] == 116 and url[2] == 116 and url[3] == 112:
            if url[4] == 58 and url[5] == 47 and url[6] == 47:  # http://
                start = 7
            elif size >= 8 and url[4] == 115 and url[5] == 58 and url[6] == 47 and url[7] == 47:
                start = 8  # https://
    end = start
    while end < size and url[end] != 47:
        end += 1
    # [start, end) is the authority: name, optional ".", optional ":" and one to five digits.
    colon = start
    while colon < end and url[colon] != 58:
        colon += 1
    if colon < end:
        if end - colon - 1 < 1 or end - colon - 1 > 5:
            return None
        for i in range(colon + 1, end):
            if url[i] < 48 or url[i] > 57:
                return None
    end = colon
    if end > start and url[end - 1] == 46:
        end -= 1
    if end == start or url[start] == 46 or url[end - 1] == 46:
        return None
    for i in range(start, end):
        if url[i] == 46:
            if url[i - 1] == 46:
                return None
            labels += 1
        elif url[i] >= 128 or not LABEL[url[i]]:
            return None
    if labels < 2:
        return None
    return PyUnicode_FromStringAndSize(<const char*>(url + start), end - start)


def plain_hosts(list urls):
    """For each URL of a batch, its host when the URL names it plainly, else None."""
    cdef Py_ssize_t count = len(urls), row
    hosts = PyList_New(count)
    for row in range(count):
        url = urls[row]
        if PyUnicode_CheckExact(url) and PyUnicode_IS_COMPACT_ASCII(url):
            host = plain_host(<const unsigned char*>PyUnicode_DATA(url), PyUnicode_GET_LENGTH(url))
        else:
            host = None
        Py_INCREF(host)
        PyList_SET_ITEM(hosts, row, host)
    return hosts


def remembered(list urls, list rids, dict requests, dict by_host):
    """(found, hosts) for a batch: each request's outcome a guard remembers, by (URL, rid), else by
    (its plainly named host, rid), else None; and `plain_hosts(urls)`. One pass instead of four."""
    cdef Py_ssize_t count = len(urls), row
    found = PyList_New(count)
    hosts = PyList_New(count)
    for row in range(count):
        url = urls[row]
        rid = rids[row]
        if PyUnicode_CheckExact(url) and PyUnicode_IS_COMPACT_ASCII(url):
            host = plain_host(<const unsigned char*>PyUnicode_DATA(url), PyUnicode_GET_LENGTH(url))
        else:
            host = None
        known = None
        if rid is not None:
            known = requests.get((url, rid))
            if known is None and host is not None:
                known = by_host.get((host, rid))
        Py_INCREF(known)
        PyList_SET_ITEM(found, row, known)
        Py_INCREF(host)
        PyList_SET_ITEM(hosts, row, host)
    return found, hosts
