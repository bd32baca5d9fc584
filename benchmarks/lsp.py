"""How quickly `journey lsp` answers an editor: diagnostics after a change, and completion.

    python benchmarks/lsp.py [--lines 2000] [--rounds 30] [--keep DIR]

Generates a workspace of about `--lines` lines of valid journeys (a schema file, an audiences
file and several files of journeys), starts the real server (`python -m journeylang lsp`) over
stdio with a bare JSON-RPC client, opens every file, then for each round:

- edits one journey file (the name of a message in its first journey changes, differently
  each round, so that every declaration after it moves) and times the span from sending
  `textDocument/didChange` to receiving that file's `textDocument/publishDiagnostics`;
- times a `textDocument/completion` request after `profile.` in that file.

Prints the median and the 90th percentile of each, against the target of a median under
100 ms, and the processor time the server spent per round (on Linux), which the load of a
shared machine disturbs less than the wall times. Exits 1 when the server publishes a
diagnostic for the generated workspace (it must be clean) or does not answer.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import pathlib
import statistics
import subprocess
import sys
import tempfile
import threading
import time

TARGET_MS = 100
TIMEOUT_SECONDS = 30
SERVER = [sys.executable, "-m", "journeylang", "lsp"]

SCHEMA = """\
# The profile and the events every journey of the workspace reads.

profile {
    first_name: string
    tier: string
    country: string
    points: number
    lifetime_value: number
    birthday: date
    interests: [string]
    blocked: bool
    consent: { email: bool, sms: bool, push: bool }
}

event signup { source: string, country: string }
event purchase { amount: number, sku: string }
event cart_abandoned { cart_value: number, items: number }
event app_open { screen: string }
event unsubscribed { reason: string }
"""

AUDIENCE = 'audience "{name}" = profile.points >= {points} and profile.country in ["FR", "DE"]\n'

JOURNEY = """\
journey "{name}" {{
    reentry after 7d
    timeout 30d
    timezone "Europe/Paris"
    exit on event unsubscribed
    exit when profile.blocked == true

    on event {entry}

    let bonus = {number} * 2
    if profile in audience "{audience}" {{
        send email "{message}_vip" with {{ name: "{{profile.first_name}}", bonus: bonus }}
    }} else if profile.tier == "gold" {{
        send email "{message}_gold" with {{ name: "{{profile.first_name}}" }}
    }} else {{
        send email "{message}" with {{ name: "{{profile.first_name}}" }}
    }}

    wait 1d

    fork {{
        branch tips {{
            send sms "{message}_tip"
        }}
        branch promo when profile.country in ["FR", "BE"] {{
            send push "{message}_promo"
        }}
    }}
    join tips, promo primary tips

    wait for event purchase within 7d {{
        set profile.points = profile.points + bonus
        send email "{message}_thanks" with {{ amount: event.amount }}
    }} on timeout {{
        send email "{message}_reminder" with {{ code: "WELCOME{number}" }}
    }}
}}

"""

ENTRIES = ("signup", "purchase", "cart_abandoned", "app_open")


def generate(directory: pathlib.Path, lines: int, files: int = 8) -> list[pathlib.Path]:
    """Write the workspace; return its files, the journey files first."""
    audiences = [f"segment {number}" for number in range(40)]
    (directory / "schema.journey").write_text(SCHEMA, encoding="utf-8")
    (directory / "audiences.journey").write_text("".join(
        AUDIENCE.format(name=name, points=100 * number) for number, name in enumerate(audiences)),
        encoding="utf-8")
    written = SCHEMA.count("\n") + len(audiences)
    journey_lines = JOURNEY.count("\n")
    count = max(files, (lines - written) // journey_lines)
    paths = []
    for file in range(files):
        text = "".join(JOURNEY.format(
            name=f"Journey {number}", entry=ENTRIES[number % len(ENTRIES)], number=number,
            audience=audiences[number % len(audiences)], message=f"message_{number}")
            for number in range(file, count, files))
        path = directory / f"journeys{file}.journey"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths + [directory / "schema.journey", directory / "audiences.journey"]


class Client:
    """JSON-RPC over the server's standard input and output: requests wait for their answer,
    notifications from the server queue up."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.notifications: queue.Queue = queue.Queue()
        self.answers: dict[int, queue.Queue] = {}
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if length is None:
                return
            message = json.loads(stream.read(length))
            if "id" in message and "method" not in message:
                self.answers.pop(message["id"]).put(message)
            elif "id" in message:  # a request of the server's (a registration): accept it
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            else:
                self.notifications.put((time.perf_counter(), message))

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict):
        self.next_id += 1
        answer: queue.Queue = queue.Queue()
        self.answers[self.next_id] = answer
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        message = answer.get(timeout=TIMEOUT_SECONDS)
        if "error" in message:
            raise RuntimeError(f"{method}: {message['error']}")
        return message["result"]

    def diagnostics_for(self, uri: str) -> tuple[float, list]:
        """Wait for the next diagnostics published for `uri`: when they came, and what."""
        deadline = time.perf_counter() + TIMEOUT_SECONDS
        while True:
            arrived, message = self.notifications.get(timeout=deadline - time.perf_counter())
            params = message.get("params", {})
            if (message.get("method") == "textDocument/publishDiagnostics"
                    and params.get("uri") == uri):
                return arrived, params["diagnostics"]

    def drain(self) -> None:
        while not self.notifications.empty():
            self.notifications.get_nowait()

    def processor_seconds(self) -> float | None:
        """The processor time the server has used so far (Linux: /proc), or None."""
        try:
            fields = pathlib.Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)
        except OSError:
            return None
        user, system = fields[1].split()[11:13]
        return (int(user) + int(system)) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=TIMEOUT_SECONDS)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def line_of(text: str, marker: str) -> tuple[int, int]:
    offset = text.index(marker) + len(marker)
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


def measure(directory: pathlib.Path, lines: int, rounds: int) -> dict[str, list[float]]:
    paths = generate(directory, lines)
    total = sum(path.read_text(encoding="utf-8").count("\n") for path in paths)
    print(f"workspace: {len(paths)} files, {total:,} lines, in {directory}")
    client = Client(SERVER)
    client.request("initialize", {"processId": None, "rootUri": directory.as_uri(),
                                  "capabilities": {}})
    client.notify("initialized", {})
    texts = {path.as_uri(): path.read_text(encoding="utf-8") for path in paths}
    for uri, text in texts.items():
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "journey", "version": 1, "text": text}})
        _, shown = client.diagnostics_for(uri)
        if shown:
            sys.exit(f"the generated workspace is not clean: {uri}: {shown[0]['message']}")
    edited = paths[0].as_uri()
    original = texts[edited]
    # a `profile.` to complete after, on the line of the first `exit when`
    completion_at = line_of(original, "exit when profile.")
    figures: dict[str, list[float]] = {"didChange → publishDiagnostics": [], "completion": []}
    processor_before = client.processor_seconds()
    for number in range(rounds):
        client.drain()
        text = original.replace('"message_0"', f'"message_0_round_{number}"')
        sent = time.perf_counter()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": edited, "version": number + 2},
            "contentChanges": [{"text": text}]})
        arrived, shown = client.diagnostics_for(edited)
        figures["didChange → publishDiagnostics"].append((arrived - sent) * 1000)
        if shown:
            sys.exit(f"an edit of the benchmark made a diagnostic: {shown[0]['message']}")
        sent = time.perf_counter()
        items = client.request("textDocument/completion", {
            "textDocument": {"uri": edited},
            "position": {"line": completion_at[0], "character": completion_at[1]}})
        figures["completion"].append((time.perf_counter() - sent) * 1000)
        labels = {item["label"] for item in (items or {}).get("items", [])}
        if "first_name" not in labels:
            sys.exit(f"completion after `profile.` did not offer first_name: {sorted(labels)}")
        time.sleep(0.2)  # a pause, as between two edits of a person
    processor_after = client.processor_seconds()
    client.close()
    if processor_before is not None and processor_after is not None:
        spent = (processor_after - processor_before) * 1000 / rounds
        print(f"the server's processor time per round (a change and a completion): {spent:.0f} ms"
              f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--keep", metavar="DIR", help="write the workspace there and keep it")
    arguments = parser.parse_args()
    if arguments.keep:
        directory = pathlib.Path(arguments.keep)
        directory.mkdir(parents=True, exist_ok=True)
        figures = measure(directory.resolve(), arguments.lines, arguments.rounds)
    else:
        with tempfile.TemporaryDirectory() as temporary:
            figures = measure(pathlib.Path(temporary).resolve(), arguments.lines, arguments.rounds)
    print(f"{arguments.rounds} rounds{'median ms':>34}{'p90 ms':>10}"
          f"   (target: median < {TARGET_MS} ms)")
    for name, values in figures.items():
        median = statistics.median(values)
        verdict = "ok" if median < TARGET_MS else "SLOW"
        print(f"{name:<32} {median:8.1f}  {percentile(values, 0.9):8.1f}   {verdict}")


if __name__ == "__main__":
    main()
