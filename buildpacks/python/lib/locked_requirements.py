"""Prints pip requirement lines for an app's lock file: Pipfile.lock (pipenv) or poetry.lock (poetry).

Usage: locked_requirements.py BUILD_DIR. Only the app's runtime dependencies (Pipfile.lock's "default",
poetry's "main" group), pinned to the locked versions, with the locked hashes so pip checks every file.
Exits 1 with a one-line reason for what it cannot express (a git or path dependency).
"""
import json
import os
import sys
import tomllib


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def from_pipfile_lock(path):
    lock = json.load(open(path, encoding="utf-8"))
    for name, spec in sorted(lock.get("default", {}).items()):
        if "version" not in spec:
            fail(f"Pipfile.lock: '{name}' is not a package from an index (git or path): list it in requirements.txt instead.")
        line = name + spec["version"]
        if spec.get("markers"):
            line += "; " + spec["markers"]
        yield line + "".join(f" --hash={h}" for h in spec.get("hashes", []))


def from_poetry_lock(path):
    lock = tomllib.load(open(path, "rb"))
    for package in sorted(lock.get("package", []), key=lambda p: p["name"]):
        groups = package.get("groups")
        if groups is not None and "main" not in groups:
            continue
        if groups is None and package.get("category", "main") != "main":
            continue
        source = package.get("source", {})
        if source.get("type") in ("git", "directory", "file", "url"):
            fail(f"poetry.lock: '{package['name']}' comes from a {source['type']} source: list it in requirements.txt instead.")
        line = f"{package['name']}=={package['version']}"
        markers = package.get("markers")
        if isinstance(markers, str) and markers:
            line += "; " + markers
        yield line + "".join(f" --hash={f['hash']}" for f in package.get("files", []) if "hash" in f)


def main():
    build_dir = sys.argv[1]
    pipfile_lock = os.path.join(build_dir, "Pipfile.lock")
    poetry_lock = os.path.join(build_dir, "poetry.lock")
    if os.path.isfile(pipfile_lock):
        lines = list(from_pipfile_lock(pipfile_lock))
    elif os.path.isfile(poetry_lock):
        lines = list(from_poetry_lock(poetry_lock))
    else:
        fail("No lock file: commit Pipfile.lock (pipenv lock) or poetry.lock (poetry lock).")
    print("\n".join(lines))


main()
