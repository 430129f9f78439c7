#!/usr/bin/env python3
"""Strict JSON Lines check, independent of bullion: every line of each file
must be strict UTF-8 and one JSON object with no key twice in any object,
no NaN/Infinity, and no lone surrogate escapes. Prints the number of
objects; exits 1 naming the file, line and reason at the first fault."""
import json
import sys


def no_duplicates(pairs):
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen.add(key)
    return dict(pairs)


def reject_constant(name):
    raise ValueError(f"non-JSON constant {name}")


def check_strings(value):
    """Every string (keys too) must encode back to UTF-8: a lone surrogate
    from a \\udXXX escape would not."""
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, dict):
        for k, v in value.items():
            k.encode("utf-8")
            check_strings(v)
    elif isinstance(value, list):
        for v in value:
            check_strings(v)


def main():
    total = 0
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            for n, raw in enumerate(f, 1):
                try:
                    text = raw.decode("utf-8")
                    obj = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=reject_constant)
                    if not isinstance(obj, dict):
                        raise ValueError("line is not a JSON object")
                    check_strings(obj)
                except (UnicodeError, ValueError) as e:
                    print(f"{path}:{n}: {e}: {raw[:200]!r}", file=sys.stderr)
                    sys.exit(1)
                total += 1
    print(total)


if __name__ == "__main__":
    main()
