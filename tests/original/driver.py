"""Drives the original Nexus system's own code (not a copy: it is imported from the vendor folder)
for tests/Original.Tests.ps1. Run with Debian's /usr/bin/python3 and PYTHONPATH=<vendor>/sa14-shim:<vendor>/src.

    driver.py alembic URL ARGS...   runs the original's Alembic (upgrade head, current, downgrade base)
    driver.py ops URL               runs the JSON list of operations on stdin through the original's
                                    store API (SQLAlchemyMetadataStore) and prints a JSON list of results

Each operation is an object with "op" and its arguments; attribute values travel as JSON text
("value_json") so NaN, Infinity and exact number spellings survive the trip in both directions.
An operation that fails gives {"error": "..."} instead of stopping the rest.
"""
import io
import json
import os
import sys
from contextlib import redirect_stdout
from datetime import datetime

VENDOR = os.environ["NEXUS_ORIGINAL_VENDOR"]


def engine_url(url):
    # The module's sqlite:////abs/path form is also SQLAlchemy's; PostgreSQL goes through psycopg2.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    return url


def run_alembic(url, args):
    from alembic import command
    from alembic.config import Config

    config = Config(os.path.join(VENDOR, "alembic.ini"))
    config.set_main_option("script_location", os.path.join(VENDOR, "alembic"))
    config.set_main_option("sqlalchemy.url", engine_url(url).replace("%", "%%"))
    out = io.StringIO()
    config.stdout = out
    verb = args[0]
    with redirect_stdout(out):
        if verb == "upgrade":
            command.upgrade(config, args[1])
        elif verb == "downgrade":
            command.downgrade(config, args[1])
        elif verb == "current":
            command.current(config)
        else:
            raise SystemExit(f"unknown alembic verb {verb}")
    print(out.getvalue(), end="")


def open_store(url):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker
    from nexus.storage.metadata_store import SQLAlchemyMetadataStore

    url = engine_url(url)
    if url.startswith("sqlite:///"):
        # The original's own constructor (it opens sqlite:///{path} itself).
        return SQLAlchemyMetadataStore(url[len("sqlite:///"):], enable_cache=False)
    # Its constructor only knows SQLite: give the same class an engine of ours, as its README says.
    store = SQLAlchemyMetadataStore.__new__(SQLAlchemyMetadataStore)
    store.engine = create_engine(url)
    store.SessionLocal = sessionmaker(bind=store.engine, expire_on_commit=False)
    store._cache_enabled = False
    store._cache = None
    return store


def when(value):
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value


def record(meta):
    if meta is None:
        return None
    return {
        "path": meta.path, "backend": meta.backend_name, "physical_path": meta.physical_path,
        "size": meta.size, "etag": meta.etag, "mime_type": meta.mime_type,
        "created_at": when(meta.created_at), "modified_at": when(meta.modified_at),
    }


def run_op(store, op):
    from nexus.core.metadata import FileMetadata

    kind = op["op"]
    if kind == "put":
        store.put(FileMetadata(
            path=op["path"], backend_name=op.get("backend", "local"),
            physical_path=op.get("physical_path", "/data" + op["path"]), size=op.get("size", 0),
            etag=op.get("etag"), mime_type=op.get("mime_type")))
        return {"ok": True}
    if kind == "get":
        return {"record": record(store.get(op["path"]))}
    if kind == "list":
        return {"records": [record(m) for m in store.list(op.get("prefix", ""))]}
    if kind == "exists":
        return {"exists": store.exists(op["path"])}
    if kind == "delete":
        store.delete(op["path"])
        return {"ok": True}
    if kind == "set":
        store.set_file_metadata(op["path"], op["key"], json.loads(op["value_json"]))
        return {"ok": True}
    if kind == "getattr":
        value = store.get_file_metadata(op["path"], op["key"])
        return {"value_json": json.dumps(value)}
    raise ValueError(f"unknown op {kind}")


def run_ops(url):
    store = open_store(url)
    results = []
    try:
        for op in json.load(sys.stdin):
            try:
                results.append(run_op(store, op))
            except Exception as e:  # reported per operation: the test asserts on it
                cause = e.__cause__ or e
                results.append({"error": f"{type(cause).__name__}: {cause}"})
    finally:
        store.engine.dispose()
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "alembic":
        run_alembic(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "ops":
        run_ops(sys.argv[2])
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")
