# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""A batch of Squid native log lines read into the columns a scan judges, in C.

`squid_columns(lines)` gives what `SquidLogScanner.feed_lines` reads from each line with
`str.split` (`aupguard.engine.logs.squid` describes the fields), without making a string of every
field of every line: splitting was half of a scan's time in Python. It takes only lines it can read
exactly as the Python path does, and answers None for a batch with any other line (fewer than ten
fields, a character outside ASCII, a time, status or size not written as Squid writes them, a time
out of range): the caller then judges that batch line by line, as it always did, so the report is
the same either way (tests/engine/test_squid_columns.py compares the two on random lines).
"""

from cpython.float cimport PyFloat_FromDouble
from cpython.list cimport PyList_New, PyList_SET_ITEM
from cpython.long cimport PyLong_FromLongLong
from cpython.ref cimport Py_INCREF
from libc.string cimport memcmp, memcpy

from aupguard.engine.str_data cimport *  # the str calls (str_data.pxd)

cdef extern from "Python.h":
    double PyOS_string_to_double(const char* s, char** endptr, void* overflow_exception) except? -1.0

# The fields read: time, client, action/status, size, URL, user (0, 2, 3, 4, 6, 7), of ten at least.
DEF FIELDS = 10
# The longest time and size fields read here (Squid writes 14 and at most 20 characters).
DEF LONGEST_NUMBER = 40
# Times Squid can have written (aupguard.engine.logs.squid.EARLIEST and LATEST).
cdef double EARLIEST = 0.0
cdef double LATEST = 4102444800.0

# str.split()'s whitespace in ASCII: \t \n \v \f \r, the four separators \x1c-\x1f, and space.
cdef bint[128] SPACE
for _c in range(128):
    SPACE[_c] = _c in (9, 10, 11, 12, 13, 28, 29, 30, 31, 32)


cdef inline bint all_digits(const unsigned char* p, Py_ssize_t n) noexcept:
    cdef Py_ssize_t i
    for i in range(n):
        if p[i] < 48 or p[i] > 57:
            return False
    return True


cdef inline object ascii_text(const unsigned char* p, Py_ssize_t n):
    """A str of ASCII bytes already checked: copied, not decoded."""
    text = PyUnicode_New(n, 127)
    memcpy(PyUnicode_DATA(text), p, n)
    return text


# The users (and clients) of a log are few and come back on every line: each is made once, kept by
# its bytes in a small table (a slot per hash, the newest wins), so that a batch's users are shared
# strings whose hash Python works out once.
DEF NAMES = 4096
cdef list NAME_KEYS = [None] * NAMES
cdef list NAME_VALUES = [None] * NAMES


cdef object named(const unsigned char* p, Py_ssize_t n, bint lower):
    """The str of a user (lower-cased, as str.lower() does ASCII) or a client, shared."""
    cdef Py_ssize_t i
    cdef unsigned int h = 2166136261u
    for i in range(n):
        h = (h ^ p[i]) * 16777619u
    h = (h ^ lower) & (NAMES - 1)
    key = NAME_KEYS[h]
    if key is not None and PyUnicode_GET_LENGTH(key) == n and memcmp(PyUnicode_DATA(key), p, n) == 0:
        value = NAME_VALUES[h]
        if (value is not key) == (lower and has_capitals(p, n)):
            return value
    key = ascii_text(p, n)
    value = key.lower() if lower and has_capitals(p, n) else key
    NAME_KEYS[h] = key
    NAME_VALUES[h] = value
    return value


cdef inline bint has_capitals(const unsigned char* p, Py_ssize_t n) noexcept:
    cdef Py_ssize_t i
    for i in range(n):
        if 65 <= p[i] <= 90:
            return True
    return False


def squid_columns(list lines):
    """(times, whos, users, urls, sizes, denied) of a batch of plain Squid log lines, or None.

    times: epoch seconds (float); whos: the user as judged, or the client where Squid logged "-";
    users: the user as judged ("" for "-"); urls: as logged; sizes: bytes (int); denied: how many
    lines Squid itself refused (an action ending in _DENIED, or status 403).
    """
    cdef Py_ssize_t count = len(lines), row, length, at, field
    cdef Py_ssize_t[FIELDS] starts
    cdef Py_ssize_t[FIELDS] ends
    cdef const unsigned char* text
    cdef const unsigned char* p
    cdef char[LONGEST_NUMBER + 1] number
    cdef char* end
    cdef double when
    cdef long long size
    cdef long code
    cdef Py_ssize_t n, slash, i, points, digits
    cdef long denied = 0
    times = PyList_New(count)
    whos = PyList_New(count)
    users = PyList_New(count)
    urls = PyList_New(count)
    sizes = PyList_New(count)
    # PyList_New's slots are NULL until set: a batch given up on is never returned (the lists are
    # freed with what was set so far, which list deallocation allows).
    for row in range(count):
        line = lines[row]
        if not PyUnicode_CheckExact(line) or not PyUnicode_IS_COMPACT_ASCII(line):
            return None
        text = <const unsigned char*>PyUnicode_DATA(line)
        length = PyUnicode_GET_LENGTH(line)
        at = 0
        field = 0
        while field < FIELDS:
            while at < length and SPACE[text[at]]:
                at += 1
            if at == length:
                return None
            starts[field] = at
            while at < length and not SPACE[text[at]]:
                at += 1
            ends[field] = at
            field += 1

        # The time: digits with at most one point, as Squid writes it (float() reads more forms:
        # those batches go the Python way).
        p = text + starts[0]
        n = ends[0] - starts[0]
        if n > LONGEST_NUMBER:
            return None
        points = digits = 0
        for i in range(n):
            if p[i] == 46:
                points += 1
            elif 48 <= p[i] <= 57:
                digits += 1
            else:
                return None
        if points > 1 or digits == 0:
            return None
        for i in range(n):
            number[i] = <char>p[i]
        number[n] = 0
        when = PyOS_string_to_double(number, &end, NULL)
        if end != number + n or not (EARLIEST <= when <= LATEST):
            return None

        # action/status: denied when the action ends in _DENIED or the status is 403.
        p = text + starts[3]
        n = ends[3] - starts[3]
        slash = 0
        while slash < n and p[slash] != 47:
            slash += 1
        code = 0
        if slash + 1 < n:
            if n - slash - 1 > 9 or not all_digits(p + slash + 1, n - slash - 1):
                return None
            for i in range(slash + 1, n):
                code = code * 10 + (p[i] - 48)
        if code == 403 or (slash >= 7 and memcmp(p + slash - 7, b"_DENIED", 7) == 0):
            denied += 1

        # The size: digits only.
        p = text + starts[4]
        n = ends[4] - starts[4]
        if n > 18 or not all_digits(p, n) or n == 0:
            return None
        size = 0
        for i in range(n):
            size = size * 10 + (p[i] - 48)

        t = PyFloat_FromDouble(when)
        Py_INCREF(t)
        PyList_SET_ITEM(times, row, t)
        s = PyLong_FromLongLong(size)
        Py_INCREF(s)
        PyList_SET_ITEM(sizes, row, s)
        url = ascii_text(text + starts[6], ends[6] - starts[6])
        Py_INCREF(url)
        PyList_SET_ITEM(urls, row, url)
        p = text + starts[7]
        n = ends[7] - starts[7]
        if n == 1 and p[0] == 45:
            user = ""
            who = named(text + starts[2], ends[2] - starts[2], False)
        else:
            user = who = named(p, n, True)
        Py_INCREF(user)
        PyList_SET_ITEM(users, row, user)
        Py_INCREF(who)
        PyList_SET_ITEM(whos, row, who)
    return times, whos, users, urls, sizes, denied
