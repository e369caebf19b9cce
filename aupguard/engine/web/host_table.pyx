# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The category database's suffix walk (`CategoryDB` lookup, step 2), in C.

`HostTable.probe(host)` walks a normalised host's suffixes through the database's slot table exactly
as `CategoryDB`'s Python resolver does (`aupguard/engine/web/categories.py` describes the table and
the walk), reading the mapped file in place: a new host costs a few hundred nanoseconds instead of a
few microseconds, which is most of what a never-seen host costs a guard. It answers None for a host
it leaves to the Python resolver (one that is not ASCII); the two agree on every host
(tests/engine/test_host_table.py compares them).
"""

from libc.stdint cimport uint32_t
from libc.string cimport memcmp

from aupguard.engine.str_data cimport *  # the str calls (str_data.pxd)

# The slot info word (categories.py): mask index, "names under this one", "has URL entries", length.
DEF NO_MASK = 0xFFFF
DEF HAS_CHILDREN = 1 << 16
DEF HAS_URLS = 1 << 17
DEF LENGTH_SHIFT = 18

# CRC-32 as zlib.crc32 computes it (the table's hash), so no zlib headers are needed to build this.
cdef uint32_t[256] CRC_TABLE
for _n in range(256):
    _c = _n
    for _k in range(8):
        _c = (0xEDB88320 ^ (_c >> 1)) if _c & 1 else (_c >> 1)
    CRC_TABLE[_n] = _c


cdef inline uint32_t crc32(const unsigned char* p, Py_ssize_t n) noexcept:
    cdef uint32_t c = 0xFFFFFFFF
    cdef Py_ssize_t i
    for i in range(n):
        c = CRC_TABLE[(c ^ p[i]) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


cdef inline bint is_ipv4(const unsigned char* p, Py_ssize_t n) noexcept:
    """Four runs of digits joined by three points (categories._IPV4, matched whole)."""
    cdef Py_ssize_t i, run = 0, points = 0
    for i in range(n):
        if 48 <= p[i] <= 57:
            run += 1
        elif p[i] == 46 and run:
            points += 1
            run = 0
        else:
            return False
    return points == 3 and run > 0


cdef class HostTable:
    """The slot table and names of a mapped category database (offsets as in its JSON header)."""

    cdef const unsigned char[:] data
    cdef const uint32_t[:] offsets
    cdef const uint32_t[:] infos
    cdef uint32_t slot_mask
    cdef Py_ssize_t base
    cdef bint open

    def __init__(self, data, offsets, infos, Py_ssize_t slot_mask, Py_ssize_t names_offset):
        self.data = data
        self.offsets = offsets
        self.infos = infos
        self.slot_mask = <uint32_t>slot_mask
        self.base = names_offset
        self.open = True

    def release(self):
        """Let go of the file's buffers (before the file is unmapped); probe answers None after."""
        self.open = False
        self.data = None
        self.offsets = None
        self.infos = None

    def probe(self, host):
        """(mask index of the longest listed suffix or 0xFFFF for none, the offsets in the file of
        the URL groups of the suffixes with URL entries, shortest suffix first); None for a host
        that is not ASCII (the Python resolver reads it, and answers for it)."""
        if not self.open or not PyUnicode_CheckExact(host) or not PyUnicode_IS_COMPACT_ASCII(host):
            return None
        cdef const unsigned char* key = <const unsigned char*>PyUnicode_DATA(host)
        cdef Py_ssize_t size = PyUnicode_GET_LENGTH(host), dot, start, length
        cdef uint32_t slot, offset, info, found = NO_MASK
        cdef Py_ssize_t at
        cdef const unsigned char* names = &self.data[0]
        groups = None
        if size == 0:
            return None
        dot = -1
        for at in range(size):
            if key[at] == 58:  # ":": an IPv6 address, matched whole
                dot = -2
                break
        if dot == -1 and 48 <= key[size - 1] <= 57 and is_ipv4(key, size):
            dot = -2
        if dot == -2:
            start = 0
        else:
            # The shortest suffix of two labels: after the second point from the end.
            dot = size - 1
            while dot >= 0 and key[dot] != 46:
                dot -= 1
            if dot < 0:
                return (NO_MASK, ())  # a single label is never listed
            dot -= 1
            while dot >= 0 and key[dot] != 46:
                dot -= 1
            start = dot + 1
        while True:
            length = size - start
            slot = crc32(key + start, length) & self.slot_mask
            info = 0
            while True:
                offset = self.offsets[slot]
                if offset == 0:
                    info = 0
                    break
                info = self.infos[slot]
                at = self.base + offset
                if (info >> LENGTH_SHIFT) == <uint32_t>length and memcmp(names + at, key + start, length) == 0:
                    if (info & 0xFFFF) != NO_MASK:
                        found = info & 0xFFFF
                    if info & HAS_URLS:
                        if groups is None:
                            groups = []
                        groups.append(at + length)
                    break
                slot = (slot + 1) & self.slot_mask
            if start == 0 or not (info & HAS_CHILDREN):
                break
            # The next longer suffix: back over the point before `start` to the point before that.
            dot = start - 2
            while dot >= 0 and key[dot] != 46:
                dot -= 1
            start = dot + 1
        return (found, tuple(groups) if groups is not None else ())
