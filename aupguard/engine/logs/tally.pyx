# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""A batch of a scan's outcomes counted in one C pass.

`SquidLogScanner.feed_lines` counts each person's requests and each category set's, picks out the
lines in streaming categories, and keeps the lines with findings, for every line of a batch. In Python
that is several passes over the batch (Counters, `map` and `compress`) and a loop over the flagged
lines; here it is one pass. The Python passes stay
as the path without a C compiler, and tests/squid/test_scan_columns.py compares the reports.
"""


def tally(
    list found, list whos, list times, frozenset streaming, dict streams, dict flagged, dict blocked
):
    """Count a batch of outcomes: returns (requests per person, per category set, the lines whose
    categories are streaming ones, how many lines the policy refuses). Lines with findings are kept
    in `flagged` as [count, first time, last time] per (verdict, who, site), as
    `SquidLogScanner._note` keeps them, and each refused line's person counted in `blocked`.
    `streams` remembers, per category set, whether it meets `streaming`."""
    cdef Py_ssize_t i, count = len(found), refused = 0
    cdef list streamed = []
    cdef dict users = {}, sets = {}
    cdef tuple outcome
    cdef list seen
    cdef double t
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
        verdict = outcome[3]
        if not verdict.findings:
            continue
        if verdict.refused:
            refused += 1
            blocked[who] = blocked.get(who, 0) + 1
        when = times[i]
        t = when
        key = (verdict, who, outcome[1])
        found_seen = flagged.get(key)
        if found_seen is None:
            flagged[key] = [1, when, when]
            continue
        seen = <list>found_seen
        seen[0] = seen[0] + 1
        if t < seen[1]:
            seen[1] = when
        elif t > seen[2]:
            seen[2] = when
    return users, sets, streamed, refused
