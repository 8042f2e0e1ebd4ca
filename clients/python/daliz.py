"""daliz from Python: the engine's C ABI (include/daliz/daliz_c.h) over ctypes, standard library only.

    import daliz
    lib = daliz.Library("/usr/lib/x86_64-linux-gnu/libdaliz.so.0")
    trust = lib.trust(required=1, keys=["head.pub"])          # or lib.development_trust()
    engine = lib.load_file("approved.bundle", trust)
    session = engine.session()                                 # one per thread
    decision_json = session.decide(declaration_json)           # str in, str out

Every failure raises daliz.Error with the library's status name and message; a declaration that
cannot be evaluated raises daliz.InputError, which carries the error decision as `.decision`.
"""
import ctypes
import os

_STATUS_OK = 0
_STATUS_INPUT = 5


class Error(Exception):
    def __init__(self, status, name, message):
        super().__init__(f"{name}: {message}")
        self.status = status
        self.name = name
        self.message = message


class InputError(Error):
    """The declaration or participant cannot be evaluated; `decision` is its error line."""

    def __init__(self, status, name, message, decision):
        super().__init__(status, name, message)
        self.decision = decision


class Library:
    """The loaded libdaliz.so.0. `path` defaults to $DALIZ_LIBRARY, else the system's."""

    ABI_VERSION = 1

    def __init__(self, path=None):
        path = path or os.environ.get("DALIZ_LIBRARY") or "libdaliz.so.0"
        self._lib = lib = ctypes.CDLL(path)
        c = ctypes
        handle = c.c_void_p
        lib.daliz_version.restype = c.c_char_p
        lib.daliz_abi_version.restype = c.c_int
        lib.daliz_last_error.restype = c.c_char_p
        lib.daliz_status_name.restype = c.c_char_p
        lib.daliz_status_name.argtypes = [c.c_int]
        lib.daliz_trust_new.argtypes = [c.c_size_t, c.POINTER(handle)]
        lib.daliz_trust_new_development.argtypes = [c.POINTER(handle)]
        lib.daliz_trust_add_key_hex.argtypes = [handle, c.c_char_p]
        lib.daliz_trust_add_key_file.argtypes = [handle, c.c_char_p]
        lib.daliz_trust_set_host_key_file.argtypes = [handle, c.c_char_p]
        lib.daliz_trust_free.argtypes = [handle]
        lib.daliz_trust_free.restype = None
        lib.daliz_engine_load_file.argtypes = [c.c_char_p, handle, c.POINTER(handle)]
        lib.daliz_engine_load_bytes.argtypes = [c.c_char_p, c.c_size_t, handle, c.POINTER(handle)]
        lib.daliz_engine_load_file_ex.argtypes = [c.c_char_p, handle, c.c_uint32, c.POINTER(handle)]
        lib.daliz_engine_load_bytes_ex.argtypes = [c.c_char_p, c.c_size_t, handle, c.c_uint32, c.POINTER(handle)]
        lib.daliz_engine_free.argtypes = [handle]
        lib.daliz_engine_free.restype = None
        lib.daliz_engine_info.argtypes = [handle, c.POINTER(c.c_void_p), c.POINTER(c.c_size_t)]
        lib.daliz_session_new.argtypes = [handle, c.POINTER(handle)]
        lib.daliz_session_free.argtypes = [handle]
        lib.daliz_session_free.restype = None
        lib.daliz_session_set_view.argtypes = [handle, c.c_int]
        for name in ("daliz_decide", "daliz_categorize"):
            getattr(lib, name).argtypes = [handle, c.c_char_p, c.c_size_t, c.POINTER(c.c_void_p), c.POINTER(c.c_size_t)]
        for name in ("daliz_trust_new", "daliz_trust_new_development", "daliz_trust_add_key_hex",
                     "daliz_trust_add_key_file", "daliz_trust_set_host_key_file", "daliz_engine_load_file", "daliz_engine_load_bytes",
                     "daliz_engine_load_file_ex", "daliz_engine_load_bytes_ex",
                     "daliz_engine_info", "daliz_session_new", "daliz_session_set_view", "daliz_decide",
                     "daliz_categorize"):
            getattr(lib, name).restype = c.c_int
        if lib.daliz_abi_version() != self.ABI_VERSION:
            raise Error(-1, "ABI", f"libdaliz has ABI {lib.daliz_abi_version()}, this module speaks {self.ABI_VERSION}")

    @property
    def version(self):
        return self._lib.daliz_version().decode()

    def _check(self, status):
        if status != _STATUS_OK:
            raise Error(status, self._lib.daliz_status_name(status).decode(), self._lib.daliz_last_error().decode())

    def trust(self, required=1, keys=(), host_key=None):
        """A policy requiring `required` signatures by `keys` (paths of .pub files or 64-hex strings).
        `host_key`: this host's secret key file (`daliz keygen --kind host`), to load sealed bundles."""
        t = Trust(self)
        self._check(self._lib.daliz_trust_new(required, ctypes.byref(t._handle)))
        for key in keys:
            if os.path.exists(key):
                self._check(self._lib.daliz_trust_add_key_file(t._handle, key.encode()))
            else:
                self._check(self._lib.daliz_trust_add_key_hex(t._handle, key.encode()))
        self._set_host_key(t, host_key)
        return t

    def development_trust(self, host_key=None):
        """Accepts unsigned bundles (development only). `host_key` as for trust()."""
        t = Trust(self)
        self._check(self._lib.daliz_trust_new_development(ctypes.byref(t._handle)))
        self._set_host_key(t, host_key)
        return t

    def _set_host_key(self, t, host_key):
        if host_key is not None:
            self._check(self._lib.daliz_trust_set_host_key_file(t._handle, os.fsencode(host_key)))

    def load_file(self, path, trust, jit=False):
        """Loads and verifies a bundle. `jit=True` compiles its profiles to native code first;
        `jit="background"` returns at once and compiles while the engine decides (docs/jit.md)."""
        e = Engine(self)
        self._check(self._lib.daliz_engine_load_file_ex(os.fsencode(path), trust._handle, _flags(jit),
                                                        ctypes.byref(e._handle)))
        return e

    def load_bytes(self, data, trust, jit=False):
        e = Engine(self)
        self._check(self._lib.daliz_engine_load_bytes_ex(data, len(data), trust._handle, _flags(jit),
                                                         ctypes.byref(e._handle)))
        return e


_ENGINE_JIT, _ENGINE_JIT_BACKGROUND = 0x1, 0x2  # DALIZ_ENGINE_JIT, DALIZ_ENGINE_JIT_BACKGROUND


def _flags(jit):
    if jit == "background":
        return _ENGINE_JIT | _ENGINE_JIT_BACKGROUND
    return _ENGINE_JIT if jit else 0


class _Handle:
    _free = None

    def __init__(self, library):
        self._library = library
        self._handle = ctypes.c_void_p()

    def close(self):
        if self._handle:
            getattr(self._library._lib, self._free)(self._handle)
            self._handle = ctypes.c_void_p()

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Trust(_Handle):
    _free = "daliz_trust_free"


class Engine(_Handle):
    _free = "daliz_engine_free"

    def info(self):
        """The bundle as a JSON string: hash, profiles, signers, approval."""
        out, n = ctypes.c_void_p(), ctypes.c_size_t()
        self._library._check(self._library._lib.daliz_engine_info(self._handle, ctypes.byref(out), ctypes.byref(n)))
        return ctypes.string_at(out, n.value).decode()

    def session(self):
        s = Session(self._library)
        self._library._check(self._library._lib.daliz_session_new(self._handle, ctypes.byref(s._handle)))
        return s


class Session(_Handle):
    """One thread's evaluator."""

    _free = "daliz_session_free"

    def _answer(self, fn, text):
        data = text.encode() if isinstance(text, str) else bytes(text)
        out, n = ctypes.c_void_p(), ctypes.c_size_t()
        status = fn(self._handle, data, len(data), ctypes.byref(out), ctypes.byref(n))
        lib = self._library._lib
        if status == _STATUS_INPUT:
            raise InputError(status, lib.daliz_status_name(status).decode(), lib.daliz_last_error().decode(),
                             ctypes.string_at(out, n.value).decode())
        self._library._check(status)
        return ctypes.string_at(out, n.value).decode()

    VIEWS = ("officer", "declarant", "audit")

    def set_view(self, view):
        """Whom the decision lines are for: "officer" (default), "declarant" or "audit"
        (docs/language.md, "Views of a decision")."""
        if view not in self.VIEWS:
            raise ValueError(f"view must be one of {', '.join(self.VIEWS)}, not {view!r}")
        self._library._check(self._library._lib.daliz_session_set_view(self._handle, self.VIEWS.index(view)))

    def decide(self, declaration_json):
        """The decision line for one declaration (str or bytes of one JSON object)."""
        return self._answer(self._library._lib.daliz_decide, declaration_json)

    def categorize(self, participant_json):
        return self._answer(self._library._lib.daliz_categorize, participant_json)
