"""Bench-only timer for the real AWS SAM translator.

Reads JSON lines {"id": ..., "template": {...}, "runs": n} on stdin and writes one JSON line
{"id": ..., "ok": bool, "ms": [...], "resources": n | "error": ...} per input on stdout.

Only `transform()` itself is timed, from inside Python, so neither process start-up, the import of
samtranslator, JSON transport nor the deep copy counts against SAM. Like the conformance driver, each
run is made in a forked child, so module-level state one translation leaves behind never reaches the
next; a warm-up translation in the parent first makes the lazy imports every child then inherits.
"""

import copy
import json
import os
import sys
import time

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

try:
    from samtranslator.translator.transform import transform
except ImportError:
    sys.stdout.write(json.dumps({"fatal": "samtranslator is not installed (pip install aws-sam-translator)"}) + "\n")
    sys.exit(3)


class OfflinePolicyLoader:
    """Stands in for the IAM lookup; the generated templates name no managed policy by short name."""

    def load(self):
        return {}


def timed_transform(template):
    work = copy.deepcopy(template)
    start = time.perf_counter()
    try:
        output = transform(work, {}, OfflinePolicyLoader())
    except Exception as error:  # the translator's own error types vary
        return {"ok": False, "error": getattr(error, "message", None) or str(error)}
    elapsed = (time.perf_counter() - start) * 1000
    return {"ok": True, "ms": elapsed, "resources": len(output.get("Resources", {}))}


def in_child(template):
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        with os.fdopen(write_fd, "wb") as sink:
            sink.write(json.dumps(timed_transform(template)).encode())
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as source:
        payload = source.read()
    os.waitpid(pid, 0)
    return json.loads(payload) if payload else {"ok": False, "error": "translator process died"}


def main():
    warmed = False
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if not warmed:
            timed_transform(request["template"])
            warmed = True
        result = {"id": request["id"], "ok": True, "ms": []}
        for _ in range(request.get("runs", 1)):
            run = in_child(request["template"])
            if not run["ok"]:
                result = {"id": request["id"], "ok": False, "error": run["error"]}
                break
            result["ms"].append(run["ms"])
            result["resources"] = run["resources"]
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
