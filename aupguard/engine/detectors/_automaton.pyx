# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""An Aho-Corasick automaton over skeletons, as a full transition table walked in C.

The name and lexicon detectors walk a skeleton of every text (lower-case letters, digits,
apostrophes and spaces, `names._skeleton`, `lexicon.ascii_skeleton`) with one automaton holding
every key. pyahocorasick's walk took about 17 ns a character (70 µs of a 4 KB email), most of a
name search. Here `make_automaton` turns the keys into a table of every state's next state for
every character the keys use (one more column stands for any other character), so the walk is one
load a character; a state's matches, its own key's value and those of its suffixes that are keys
(longest first), are worked out once.

`Automaton` has the part of pyahocorasick's interface the detectors use: `add_word`,
`make_automaton`, `iter(text, ignore_white_space=True)` (a list of (index of a match's last
character, value), in the order pyahocorasick yields them), `items()` and `len()`. Keys are ASCII
(skeletons are). Without a C compiler the detectors use pyahocorasick itself;
tests/engine/detectors/test_automaton.py holds the two to the same hits.
"""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.stdint cimport uint32_t
from libc.string cimport memset

from aupguard.engine.str_data cimport *  # the str calls (str_data.pxd)

DEF NONE = 0xFFFFFFFF


cdef class Automaton:
    cdef dict words
    cdef uint32_t* delta
    cdef Py_ssize_t symbols
    cdef Py_ssize_t states
    cdef int[128] symbol_of  # an ASCII character's column; 0 for a character no key has
    cdef list outputs  # per state: a tuple of values, or None
    cdef unsigned char* matches  # per state: 1 when it has outputs (read without touching the list)
    cdef bint made

    def __cinit__(self):
        self.delta = NULL
        self.matches = NULL
        self.words = {}
        self.outputs = []
        self.made = False

    def __dealloc__(self):
        PyMem_Free(self.delta)
        PyMem_Free(self.matches)

    def add_word(self, str key, value):
        """Add `key` (ASCII) with `value`; a key added again takes the new value."""
        if not key.isascii():
            raise ValueError(f"automaton keys are ASCII skeletons, not {key!r}")
        self.words[key] = value
        self.made = False

    def __len__(self):
        return len(self.words)

    def items(self):
        return self.words.items()

    def make_automaton(self):
        cdef Py_ssize_t total = 1, i, s, state, child, length, head, tail
        cdef uint32_t* delta
        cdef uint32_t* fail
        cdef uint32_t* queue
        cdef uint32_t next_state
        cdef bytes raw
        cdef const unsigned char* p
        for key in self.words:
            total += len(<str>key)
        # The columns: one per character the keys use, after column 0 for every other character.
        memset(self.symbol_of, 0, sizeof(self.symbol_of))
        self.symbols = 1
        for key in self.words:
            for ch in <str>key:
                if self.symbol_of[ord(ch)] == 0:
                    self.symbol_of[ord(ch)] = self.symbols
                    self.symbols += 1
        PyMem_Free(self.delta)
        PyMem_Free(self.matches)
        self.delta = NULL
        self.matches = NULL
        delta = <uint32_t*>PyMem_Malloc(total * self.symbols * sizeof(uint32_t))
        fail = <uint32_t*>PyMem_Malloc(total * sizeof(uint32_t))
        queue = <uint32_t*>PyMem_Malloc(total * sizeof(uint32_t))
        if delta == NULL or fail == NULL or queue == NULL:
            PyMem_Free(delta)
            PyMem_Free(fail)
            PyMem_Free(queue)
            raise MemoryError()
        try:
            memset(delta, 0xFF, total * self.symbols * sizeof(uint32_t))
            values = [None] * total
            # The trie.
            self.states = 1
            for key, value in self.words.items():
                raw = (<str>key).encode("ascii")
                p = raw
                length = len(raw)
                state = 0
                for i in range(length):
                    s = self.symbol_of[p[i]]
                    next_state = delta[state * self.symbols + s]
                    if next_state == NONE:
                        next_state = <uint32_t>self.states
                        delta[state * self.symbols + s] = next_state
                        self.states += 1
                    state = next_state
                values[state] = value
            # Failure links breadth first, filling in every missing transition on the way.
            outputs = [None] * self.states
            head = tail = 0
            fail[0] = 0
            for s in range(self.symbols):
                child = delta[s]
                if child == NONE:
                    delta[s] = 0
                else:
                    fail[child] = 0
                    queue[tail] = <uint32_t>child
                    tail += 1
            while head < tail:
                state = queue[head]
                head += 1
                own = values[state]
                inherited = outputs[fail[state]]
                if own is not None:
                    outputs[state] = (own,) + inherited if inherited is not None else (own,)
                else:
                    outputs[state] = inherited
                for s in range(self.symbols):
                    child = delta[state * self.symbols + s]
                    if child == NONE:
                        delta[state * self.symbols + s] = delta[fail[state] * self.symbols + s]
                    else:
                        fail[child] = delta[fail[state] * self.symbols + s]
                        queue[tail] = <uint32_t>child
                        tail += 1
            self.matches = <unsigned char*>PyMem_Malloc(self.states)
            if self.matches == NULL:
                raise MemoryError()
            for state in range(self.states):
                self.matches[state] = outputs[state] is not None
            self.outputs = outputs
            self.delta = delta
            delta = NULL
            self.made = True
        finally:
            PyMem_Free(delta)
            PyMem_Free(fail)
            PyMem_Free(queue)

    def iter(self, text, bint ignore_white_space=False):
        """Every key in `text`: (index of its last character, its value), as pyahocorasick yields
        them; with `ignore_white_space`, spaces, tabs and line ends are stepped over."""
        if not self.made:
            raise AttributeError("call make_automaton() before iter()")
        if not PyUnicode_CheckExact(text):
            raise TypeError("iter() takes a str")
        cdef int kind = PyUnicode_KIND(text)
        cdef void* data = PyUnicode_DATA(text)
        cdef const unsigned char* ascii = <const unsigned char*>data
        cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i, symbols = self.symbols
        cdef uint32_t state = 0
        cdef Py_UCS4 ch
        cdef uint32_t* delta = self.delta
        cdef unsigned char* matches = self.matches
        cdef int* symbol_of = self.symbol_of
        cdef list hits = []
        for i in range(n):
            ch = ascii[i] if kind == 1 else PyUnicode_READ(kind, data, i)
            if ignore_white_space and (ch == 32 or 9 <= ch <= 13):
                continue
            state = delta[state * symbols + (symbol_of[ch] if ch < 128 else 0)]
            if matches[state]:
                for value in <tuple>self.outputs[state]:
                    hits.append((i, value))
        return hits
