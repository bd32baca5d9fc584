"""Trace encoders: the cost per record of writing the reference workload's records as JSON Lines.

    python benchmarks/trace_encoders.py [N] [--repeat R]

Collects the records of a run of N profiles (20,000 by default), then times (processor time,
which a shared machine's load disturbs less than the wall clock), per record and best of R (5): the standard library's `json` on `record.to_json()` (what the trace did
first), orjson and msgspec on the same dicts (when installed), and the trace writer itself
(runtime/trace.py and scribe.py: a batch as MessagePack, read back as structs of the trace's
fields, one `encode_lines` per batch; here in the process, as a short trace or one to a
file object is written). Each
must give the same lines as the standard library, or the script exits 1.

For comparison, two floors that write no trace: msgspec's JSON of the records as they are
(arrays with integer times, not the trace's lines) and msgspec's MessagePack of the records
as they are, into one buffer used again: what the run itself pays per record once the
scribe (a process of its own) makes a long trace's lines.
"""

from __future__ import annotations

import argparse
import io
import json
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE / "reference"))

import generate  # noqa: E402


def dict_encoder(name: str):
    """A function from a list of records to their JSON Lines, through one dict per record."""
    if name == "json":
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        return lambda records: "".join(encode(r.to_json()) + "\n" for r in records).encode()
    if name == "orjson":
        def with_orjson(records):
            import orjson
            return b"".join(orjson.dumps(r.to_json()) + b"\n" for r in records)
        return with_orjson
    import msgspec
    encode = msgspec.json.Encoder().encode
    return lambda records: b"".join(encode(r.to_json()) + b"\n" for r in records)


def trace_writer(records) -> bytes:
    from journeylang.runtime.trace import TraceWriter
    out = io.BytesIO()
    writer = TraceWriter(out)
    for record in records:
        writer(record)
    writer.close()
    return out.getvalue()


def floors():
    """Encoders that write no trace, for comparison: {label: function of the records}."""
    import msgspec

    as_json, as_msgpack = msgspec.json.Encoder().encode_lines, msgspec.msgpack.Encoder().encode_into
    buffer = bytearray()
    return {
        "msgspec JSON of the records as they are":
            lambda records: [as_json(records[i:i + 512]) for i in range(0, len(records), 512)],
        "msgspec MessagePack (the scribe's batches)":
            lambda records: [as_msgpack(records[i:i + 512], buffer)
                             for i in range(0, len(records), 512)],
    }


def best_of(encode, records, repeat: int) -> float:
    """The least processor time per record of `repeat` runs, in µs."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        encode(records)
        best = min(best, time.process_time() - started)
    return best / len(records) * 1e6


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("n", type=int, nargs="?", default=20_000)
    options.add_argument("--repeat", type=int, default=5)
    args = options.parse_args()
    from journeylang.inputs import Event
    from journeylang.run import simulate

    people = generate.profiles(args.n)
    records = []
    simulate(HERE / "reference" / "reference.journey", profiles=people, on_record=records.append,
             events=[Event(at, who, "signup", {}) for at, who in generate.signups(people)])
    encoders = {f"{name} of a dict per record": dict_encoder(name) for name in ("json", "orjson", "msgspec")}
    encoders["trace writer (msgspec structs)"] = trace_writer
    expected = dict_encoder("json")(records)
    print(f"{len(records):,} records of {args.n:,} profiles; best of {args.repeat}")
    for label, encode in encoders.items():
        try:
            lines = encode(records)
        except ImportError as missing:
            print(f"{label:34} not installed ({missing.name})")
            continue
        if lines != expected:
            print(f"{label:34} DIFFERENT LINES")
            sys.exit(1)
        print(f"{label:34}{best_of(encode, records, args.repeat):8.2f} µs/record")
    print("floors, writing no trace:")
    for label, encode in floors().items():
        print(f"  {label:42}{best_of(encode, records, args.repeat):8.2f} µs/record")


if __name__ == "__main__":
    main()
