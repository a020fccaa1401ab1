"""Batch driver for the real AWS SAM translator.

Reads JSON lines {"id": ..., "template": {...}} on stdin and writes one JSON line
{"id": ..., "ok": bool, "output" | "error": ...} per input on stdout.

The translator keeps module-level state between calls (a second OpenAPI 3
translation can nest CORS header schemas), so every template is translated in
a forked child: the import cost is paid once per batch, the state never leaks.
"""

import copy
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

try:
    from samtranslator.translator.transform import transform
except ImportError:  # pragma: no cover - reported to the caller
    sys.stdout.write(json.dumps({"fatal": "samtranslator is not installed (pip install aws-sam-translator)"}) + "\n")
    sys.exit(3)


class OfflinePolicyLoader:
    """Stands in for the IAM lookup; tests never name managed policies by short name."""

    def load(self):
        return {}


def translate(template):
    try:
        output = transform(copy.deepcopy(template), {}, OfflinePolicyLoader())
        return {"ok": True, "output": output}
    except Exception as error:  # the translator's own error types vary
        message = getattr(error, "message", None) or str(error)
        causes = getattr(error, "causes", None) or []
        details = [getattr(c, "message", str(c)) for c in causes]
        return {"ok": False, "error": " | ".join([message, *details])}


def translate_in_child(template):
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        payload = json.dumps(translate(template)).encode()
        with os.fdopen(write_fd, "wb") as sink:
            sink.write(payload)
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as source:
        payload = source.read()
    os.waitpid(pid, 0)
    if not payload:
        return {"ok": False, "error": "translator process died"}
    return json.loads(payload)


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        result = translate_in_child(request["template"])
        result["id"] = request["id"]
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
