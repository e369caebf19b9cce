# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""A batch of a scan's outcomes counted in one C pass.

`SquidLogScanner.feed_lines` counts each person's requests and each category set's, and picks out the
lines in streaming categories and the lines with findings, for every line of a batch. In Python that
is five passes over the batch (Counters, `map` and `compress`); here it is one. The Python passes stay
as the path without a C compiler, and tests/squid/test_scan_columns.py compares the reports.
"""


def tally(list found, list whos, frozenset streaming, dict streams):
    """(requests per person, per category set, the lines whose categories are streaming ones, the
    lines whose verdict has findings) of a batch. `streams` remembers, per category set, whether it
    meets `streaming`."""
    cdef Py_ssize_t i, count = len(found)
    cdef list streamed = [], flagged = []
    cdef dict users = {}, sets = {}
    cdef tuple outcome
    for i in range(count):
        outcome = <tuple>found[i]
        who = whos[i]
        users[who] = users.get(who, 0) + 1
        categories = outcome[2]
        sets[categories] = sets.get(categories, 0) + 1
        meets = streams.get(categories)
        if meets is None:
            meets = streams[categories] = not streaming.isdisjoint(categories)
        if meets:
            streamed.append(i)
        if outcome[3].findings:
            flagged.append(i)
    return users, sets, streamed, flagged
