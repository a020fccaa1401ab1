"""Reads YAML files the way the SAM CLI and cfn-lint read them (PyYAML's SafeLoader, YAML 1.1, with
CloudFormation's short-form tags), through cfn-lint's own loader. Prints one JSON line per file:
{"file": ..., "ok": true, "value": ...} or {"file": ..., "ok": false, "error": ...}."""

import json
import math
import sys

from cfnlint.decode import cfn_yaml

def portable(value):
    """JSON has no infinities or NaN: name them, as the JavaScript side of the comparison does."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {str(key) if not isinstance(key, str) else key: portable(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [portable(item) for item in value]
    return value


for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as handle:
            value = cfn_yaml.loads(handle.read())
        print(json.dumps({"file": path, "ok": True, "value": portable(value)}, default=str))
    except Exception as error:  # cfn-lint raises several types
        print(json.dumps({"file": path, "ok": False, "error": str(error)[:200]}))
