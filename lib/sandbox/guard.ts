/**
 * The Python side of the sandbox: the source run once in every fresh interpreter, right after
 * pyodide has loaded. It defines `_sandbox_run`, the one entry point the worker calls, and
 * installs the Python-level guards.
 *
 * The guards give clear observations; they are not the security boundary (a determined program
 * can undo anything done in Python). The boundary is the Deno worker's permissions and the
 * WebAssembly memory cap, both set in JavaScript outside the interpreter (see `worker.ts`,
 * `pool.ts`). What the guards do:
 *
 * - imports of `subprocess`, `multiprocessing`, `socket`, `ssl`, `ctypes` and of pyodide's
 *   JavaScript bridges (`js`, `pyodide`, `pyodide_js`, `_pyodide`, `micropip`) raise
 *   `ImportError: import of 'subprocess' is disabled in the sandbox (...)` (a `sys.meta_path`
 *   finder, so `importlib.import_module` is covered too; the already-loaded modules are taken
 *   out of `sys.modules`);
 * - `os.system`, `os.popen`, `os.fork`, `os.exec*`, `os.spawn*`, `os.posix_spawn*`, `os.kill`
 *   raise `PermissionError: os.system is disabled in the sandbox (no subprocesses)`;
 * - `SystemExit`, `KeyboardInterrupt` and every other exception of a program are caught and
 *   reported as a traceback of the program's own frames (`File "<code>", line 1, ...`);
 * - `sys.stdout` / `sys.stderr` are bounded writers: the first `maxChars` characters are kept and
 *   the rest only counted, so a flood of output costs no memory;
 * - every session has its own globals dict and its own working directory (`/tmp/sandbox/<id>`,
 *   removed on close); on opening a session, modules imported by earlier sessions are dropped
 *   from `sys.modules` (re-imported fresh), and `builtins` and every module loaded at start-up
 *   (`math`, `os`, ...) get their original attributes back, so module-level state does not leak
 *   from one problem to the next.
 *
 * `_sandbox_run(code, session, quiet, max_chars)` returns a JSON string
 * `{"stdout", "stderr", "error", "stdoutChars", "stderrChars"}` (`error` null or the traceback).
 *
 * @example
 * ```ts
 * import { GUARD_PY } from "./guard.ts";
 * GUARD_PY.includes("def _sandbox_run"); // true
 * ```
 *
 * @module
 */

/** Python source installed in every fresh interpreter (see the module doc). */
export const GUARD_PY = String.raw`
import builtins as _b, sys as _sys, os as _os, json as _json, traceback as _tb, shutil as _shutil

_BLOCKED = {
    "subprocess": "no subprocesses", "_posixsubprocess": "no subprocesses",
    "multiprocessing": "no subprocesses", "_multiprocessing": "no subprocesses",
    "socket": "no network", "_socket": "no network", "ssl": "no network", "_ssl": "no network",
    "ctypes": "no foreign functions", "_ctypes": "no foreign functions",
    "js": "no JavaScript access", "pyodide_js": "no JavaScript access",
    "pyodide": "no JavaScript access", "_pyodide": "no JavaScript access",
    "_pyodide_core": "no JavaScript access", "micropip": "no package installs",
}


class _SandboxBlocker:
    @staticmethod
    def find_spec(name, path=None, target=None):
        top = name.split(".")[0]
        if top in _BLOCKED:
            raise ImportError(
                f"import of '{top}' is disabled in the sandbox ({_BLOCKED[top]})", name=name)
        return None


for _m in list(_sys.modules):
    if _m.split(".")[0] in _BLOCKED:
        del _sys.modules[_m]
_sys.meta_path.insert(0, _SandboxBlocker)


def _disabled(name):
    def f(*args, **kwargs):
        raise PermissionError(f"{name} is disabled in the sandbox (no subprocesses)")
    f.__name__ = name.split(".")[-1]
    return f


import posix as _posix
for _mod, _prefix in ((_os, "os"), (_posix, "posix")):
    for _name in dir(_mod):
        if (_name in ("system", "popen", "fork", "forkpty", "kill", "killpg", "wait", "waitpid")
                or _name.startswith(("exec", "spawn", "posix_spawn"))):
            setattr(_mod, _name, _disabled(f"{_prefix}.{_name}"))


class _Cap:
    """A text stream keeping the first max_chars characters and counting the rest."""

    def __init__(self, max_chars):
        self.max = max_chars
        self.parts = []
        self.kept = 0
        self.total = 0

    def write(self, s):
        s = str(s)
        self.total += len(s)
        room = self.max - self.kept
        if room > 0:
            piece = s[:room]
            self.parts.append(piece)
            self.kept += len(piece)
        return len(s)

    def flush(self):
        pass

    def isatty(self):
        return False

    def text(self):
        return "".join(self.parts)


_BASE_MODULES = set(_sys.modules)
_BASE_BUILTINS = dict(_b.__dict__)
_BASE_DICTS = [(m.__dict__, dict(m.__dict__)) for n, m in _sys.modules.items()
               if n not in ("sys", "builtins", "__main__") and hasattr(m, "__dict__")]
_HOME = "/tmp/sandbox"
_os.makedirs(_HOME, exist_ok=True)
_sessions = {}


def _fresh_interpreter_state():
    for m in list(_sys.modules):
        if m not in _BASE_MODULES:
            del _sys.modules[m]
    _b.__dict__.clear()
    _b.__dict__.update(_BASE_BUILTINS)
    for d, saved in _BASE_DICTS:
        d.clear()
        d.update(saved)
    if _sys.meta_path[:1] != [_SandboxBlocker]:
        _sys.meta_path[:] = [_SandboxBlocker] + [f for f in _sys.meta_path if f is not _SandboxBlocker]


def _sandbox_open(session):
    _fresh_interpreter_state()
    cwd = f"{_HOME}/{session}"
    _shutil.rmtree(cwd, ignore_errors=True)
    _os.makedirs(cwd)
    _sessions[session] = {"__name__": "__main__", "__builtins__": _b}


def _sandbox_close(session):
    _sessions.pop(session, None)
    _shutil.rmtree(f"{_HOME}/{session}", ignore_errors=True)


def _format_error(e):
    try:
        # keep only the program's own frames (not _sandbox_run's, not the guards')
        frames = [f for f in _tb.extract_tb(e.__traceback__) if f.filename == "<code>"]
        head = "Traceback (most recent call last):\n" if frames else ""
        body = "".join(_tb.format_list(frames))
        tail = "".join(_tb.format_exception_only(type(e), e))
        return (head + body + tail).rstrip("\n")
    except BaseException:
        return f"{type(e).__name__}: {e}"


def _sandbox_run(code, session, quiet, max_chars):
    if session not in _sessions:
        _sandbox_open(session)
    ns = _sessions[session]
    out, err = _Cap(max_chars), _Cap(max_chars)
    error = None
    saved = (_sys.stdout, _sys.stderr, _os.getcwd())
    _sys.stdout, _sys.stderr = out, err
    try:
        _os.chdir(f"{_HOME}/{session}")
        exec(compile(code, "<code>", "exec"), ns)
    except BaseException as e:
        error = _format_error(e)
    finally:
        _sys.stdout, _sys.stderr = saved[0], saved[1]
        try:
            _os.chdir(saved[2])
        except BaseException:
            pass
    if quiet:
        return _json.dumps({"stdout": "", "stderr": "", "error": error,
                            "stdoutChars": 0, "stderrChars": 0})
    return _json.dumps({"stdout": out.text(), "stderr": err.text(), "error": error,
                        "stdoutChars": out.total, "stderrChars": err.total})
`;
