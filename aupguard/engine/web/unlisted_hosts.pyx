# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""A guard's first decision for hosts only their categories decide, made in C for a whole batch.

Most hosts a school's proxy meets are new once and never again (a CDN's random names, trackers,
the long tail), and most of those are on none of the pack's lists and have no URL entries in the
category database: their decision is the one the guard has already made for their categories and
the requester's rid. `UnlistedHosts.fill` makes exactly what `WebGuard._new_host` and
`WebGuard._host_outcome` make for such a host (its categories and no list entry remembered, its
outcome remembered for the rid) and leaves every other request to them: a host on or under a pack
list, with URL entries, or whose (categories, rid) has no decision yet.
tests/engine/web/test_guard.py compares guards with and without it, request by request.
"""

from aupguard.engine.str_data cimport *  # the str calls (str_data.pxd)

DEF NO_MASK = 0xFFFF


cdef class UnlistedHosts:
    cdef object probe
    cdef list entries
    cdef tuple nothing
    cdef frozenset listed_pairs
    cdef frozenset listed_names
    cdef tuple unlisted
    cdef dict verdicts
    cdef dict free_hosts
    cdef dict path_hosts
    cdef dict by_host
    cdef Py_ssize_t max_entries

    def __init__(
        self, object probe, list entries, tuple nothing, frozenset listed_pairs,
        frozenset listed_names, tuple unlisted, dict verdicts, dict free_hosts, dict path_hosts,
        dict by_host, Py_ssize_t max_entries,
    ):
        self.probe = probe
        self.entries = entries
        self.nothing = nothing
        self.listed_pairs = listed_pairs
        self.listed_names = listed_names
        self.unlisted = unlisted
        self.verdicts = verdicts
        self.free_hosts = free_hosts
        self.path_hosts = path_hosts
        self.by_host = by_host
        self.max_entries = max_entries

    def fill(self, list found, list hosts, list rids):
        """Fill in `found[i]` (None: not known yet) for the requests of new unlisted hosts."""
        cdef Py_ssize_t i, count = len(found), size, last, pair
        cdef const unsigned char* text
        cdef dict by_host = self.by_host, free_hosts = self.free_hosts, verdicts = self.verdicts
        for i in range(count):
            if found[i] is not None:
                continue
            host = hosts[i]
            rid = rids[i]
            if host is None or rid is None:
                continue
            key = (host, rid)
            known = by_host.get(key)
            if known is not None:  # decided earlier in this batch
                found[i] = known
                continue
            if host in free_hosts or host in self.path_hosts:
                continue  # known, for another rid: the guard's own path
            if not PyUnicode_CheckExact(host) or not PyUnicode_IS_COMPACT_ASCII(host):
                continue
            text = <const unsigned char*>PyUnicode_DATA(host)
            size = PyUnicode_GET_LENGTH(host)
            last = size - 1
            while last >= 0 and text[last] != 46:
                last -= 1
            if last < 0:
                continue
            pair = last - 1
            while pair >= 0 and text[pair] != 46:
                pair -= 1
            # `_new_host`'s first test: a host whose last two labels or last label no pack list
            # names is on no list.
            if host[pair + 1:] in self.listed_pairs or host[last + 1:] in self.listed_names:
                continue
            walked = self.probe(host)
            if walked is None:
                continue
            mask, groups = walked
            if groups:
                continue  # URL entries: its path may matter
            entry = self.entries[mask] if mask != NO_MASK else self.nothing
            categories = entry[0]
            verdict = verdicts.get((self.unlisted, categories, rid))
            if verdict is None:
                continue  # a first decision: check_url makes it
            decision = verdict.decision
            if decision.findings:
                decision = verdict.for_host(host)  # its findings name this host
            if len(free_hosts) >= self.max_entries:
                free_hosts.clear()
            free_hosts[host] = (categories, self.unlisted)
            known = (decision, host, categories, verdict)
            if len(by_host) >= self.max_entries:
                by_host.clear()
            by_host[key] = known
            found[i] = known
