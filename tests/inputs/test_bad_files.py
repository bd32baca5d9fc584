"""Every input file `journey run` reads, written wrong in every way we know: each gives one
located error (`file:line[:column]: error: …`, as diagnostics are printed) and exit 1, never a traceback.

Each case writes one file into a workspace whose journey declares a profile schema, runs the
command in-process (click's CliRunner) and compares everything it printed. A few cases that
need a real process or the file system's odd corners (a FIFO, /dev/zero, a file that is not
readable) run the installed command as a process.
"""

from __future__ import annotations

import datetime
import os
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

from journeylang import inputs, simulate
from journeylang.cli import main

JOURNEY = """\
profile {
    points: number
    code: string
    vip: bool
    birthday: date
    seen: datetime
    consent: { email: bool }
    tags: [string]
}
journey "Welcome" {
    on event signup
    send email "welcome"
}
"""

START = ("--start", "2026-03-01T00:00:00Z")
EVENT = b'{"time": "2026-03-01T09:00:00Z", "profile": "p1", "event": "signup"}\n'
DIGITS = b"9" * 5000
DEEP = b"[" * 150 + b"]" * 150
TOO_LONG = "`99999999999999999999…` has 5,000 digits: a number has at most 309 (the largest is 1.7976931348623157e+308)"

# (file name, its bytes, the message: where, then what)
CASES = {
    # ---- any file: what it is, its bytes ----
    "not UTF-8": ("profiles.jsonl", b'{"id": "p1"}\n{"id": "p\xff2"}\n',
                  "profiles.jsonl:2:10: not UTF-8 text (byte 0xff)"),
    "a UTF-16 byte-order mark": ("profiles.jsonl", '{"id": "p1"}\n'.encode("utf-16"),
                                 "profiles.jsonl:1:1: not UTF-8 text (it starts with a UTF-16 byte-order mark): save it as UTF-8"),
    "a NUL byte": ("events.jsonl", EVENT + b"\0\0\0",
                   "events.jsonl:2:1: not a text file (it holds a NUL byte)"),
    # ---- JSON Lines ----
    "not JSON": ("profiles.jsonl", b'{"id": "p1"}\n{"id": "p2",}\n',
                 "profiles.jsonl:2:13: not valid JSON (Expecting property name enclosed in double quotes)"),
    "NaN": ("profiles.jsonl", b'{"id": "p1", "points": NaN}\n',
            "profiles.jsonl:1:24: NaN is not a number (numbers are finite)"),
    "Infinity": ("events.jsonl", b'{"time": "2026-03-01T09:00:00Z", "profile": "p1", "event": "signup", "data": {"x": -Infinity}}\n',
                 "events.jsonl:1:84: -infinity is not a number (numbers are finite; the largest is 1.7976931348623157e+308, and a larger one like 1e400 reads as infinity)"),
    "1e400": ("profiles.jsonl", b'{"id": "p1"}\n{"id": "p2", "points": 1e400}\n',
              "profiles.jsonl:2:24: `1e400` is beyond the largest number, 1.7976931348623157e+308"),
    "a number of 5000 digits": ("profiles.jsonl", b'{"id": "p1", "points": ' + DIGITS + b"}\n",
                                f"profiles.jsonl:1:24: {TOO_LONG}"),
    "a whole number beyond the largest": ("profiles.jsonl", b'{"id": "p1", "points": 1' + b"0" * 400 + b"}\n",
                                          "profiles.jsonl:1:24: `10000000000000000000…` has 401 digits: a number has at most 309 (the largest is 1.7976931348623157e+308)"),
    "nested too deeply": ("profiles.jsonl", b'{"id": "p1", "x": ' + DEEP + b"}\n",
                          "profiles.jsonl:1:118: arrays and objects nested more than 100 deep"),
    "nested beyond what json reads": ("events.jsonl", b'{"data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
                                      "events.jsonl:1:109: arrays and objects nested more than 100 deep"),
    "half a surrogate pair": ("profiles.jsonl", b'{"id": "p1", "name": "Zo\\u00eb \\ud83d"}\n',
                              "profiles.jsonl:1:32: \\ud83d is half of a surrogate pair, without the other half: not a character"),
    "a second half alone": ("profiles.jsonl", b'{"id": "p1", "\\ude00": 1}\n',
                            "profiles.jsonl:1:15: \\ude00 is half of a surrogate pair, without the other half: not a character"),
    "an id that is a record": ("profiles.jsonl", b'{"id": {"a": 1}}\n',
                               "profiles.jsonl:1: the `id` must be a string or a number"),
    "a time that is a list": ("events.jsonl", b'{"time": [1, 2], "profile": "p1", "event": "signup"}\n',
                              "events.jsonl:1: expected a date-time, found a list of 2 items"),
    # ---- JSON ----
    "JSON: a duplicate id": ("profiles.json", b'[\n  {"id": "a"},\n  {"id": "a"}\n]\n',
                             "profiles.json:3:3: profile 2: profile `a` appears twice"),
    "JSON: not a list": ("profiles.json", b'{"people": []}',
                         'profiles.json:1:1: expected a list of profiles (or {"profiles": [...]})'),
    "JSON: NaN": ("profiles.json", b'{"profiles": [\n  {"id": "a", "points": NaN}\n]}',
                  "profiles.json:2:25: NaN is not a number (numbers are finite)"),
    "JSON: nested too deeply": ("profiles.json", b"[" + DEEP + b"]",
                                "profiles.json:1:101: arrays and objects nested more than 100 deep"),
    "JSON: a BOM is skipped": ("profiles.json", b'\xef\xbb\xbf[{"id": "a"}, {"id": "a"}]',
                               "profiles.json:1:15: profile 2: profile `a` appears twice"),
    # ---- CSV, typed by the profile schema ----
    "CSV: a number that is not": ("profiles.csv", b"id,points\np1,12\np2,abc\n",
                                  'profiles.csv:3: column "points": `abc` is not a number'),
    "CSV: a number beyond the largest": ("profiles.csv", b"id,points\np1,1e400\n",
                                         'profiles.csv:2: column "points": `1e400` is beyond the largest number, 1.7976931348623157e+308'),
    "CSV: a bool that is not": ("profiles.csv", b"id,vip\np1,yes\n",
                                'profiles.csv:2: column "vip": "yes" is not true or false'),
    "CSV: a date that is not": ("profiles.csv", b"id,birthday\np1,31/12/1990\n",
                                'profiles.csv:2: column "birthday": "31/12/1990" is not a date (write it like 2026-03-01)'),
    "CSV: a date-time without a zone": ("profiles.csv", b"id,seen\np1,2026-03-01T09:00:00\n",
                                        'profiles.csv:2: column "seen": "2026-03-01T09:00:00" has no time zone: add Z (UTC) or an offset like +01:00'),
    "CSV: a date-time past 9999": ("profiles.csv", b"id,seen\np1,9999-12-31T23:00:00-05:00\n",
                                   'profiles.csv:2: column "seen": `9999-12-31T23:00:00-05:00` is after 9999-12-31T23:59:59Z, the last instant there is'),
    "CSV: a list in a cell": ("profiles.csv", b"id,tags\np1,a b\n",
                              'profiles.csv:2: column "tags": a list cannot be written in a CSV cell (use JSON Lines for lists)'),
    "CSV: a record in a cell": ("profiles.csv", b"id,consent\np1,true\n",
                                'profiles.csv:1: column "consent": `consent` is declared a record: give its attributes as columns like "consent.email"'),
    "CSV: inside a scalar": ("profiles.csv", b"id,code.x\np1,1\n",
                             'profiles.csv:1: column "code.x": `code` is declared a string, not a record with attributes'),
    "CSV: a nested column beside a plain one": ("profiles.csv", b"id,tier,tier.x\np1,gold,1\n",
                                                'profiles.csv:1: column "tier.x" is inside column "tier": an attribute is either a value or a record of values'),
    "CSV: a column twice": ("profiles.csv", b"id,tier,tier\np1,a,b\n",
                            'profiles.csv:1: column "tier" appears twice (columns 2 and 3)'),
    "CSV: a column without a name": ("profiles.csv", b"id,,tier\np1,a,b\n",
                                     "profiles.csv:1: column 2 of the header has no name"),
    "CSV: an empty part of a name": ("profiles.csv", b"id,consent..email\np1,a\n",
                                     'profiles.csv:1: column "consent..email": a part of the name is empty'),
    "CSV: no id column": ("profiles.csv", b"\nname\nAnn\n",
                          'profiles.csv:2: the header has no "id" column'),
    "CSV: too many cells": ("profiles.csv", b'id,tier\np1,"gold\nand silver",x\n',
                            "profiles.csv:2: this row has 3 cells, more than the header's 2"),
    "CSV: a cell over the csv module's limit": ("profiles.csv", b"id,name\np1," + b"a" * 200_000 + b"\n",
                                                "profiles.csv:2: not valid CSV (a cell is longer than 131,072 characters)"),
    "CSV: a quote never closed": ("profiles.csv", b'id,name\np1,"Ann\n',
                                  "profiles.csv:2: not valid CSV (unexpected end of data)"),
    "CSV: a number of 5000 digits": ("profiles.csv", b"id,points\np1," + DIGITS + b"\n",
                                     f'profiles.csv:2: column "points": {TOO_LONG}'),
    # ---- audiences and data sources ----
    "audiences: not lists": ("audiences.json", b'{\n  "vip": "p1"\n}',
                             "audiences.json:2:10: audience `vip` must be a list of profile ids"),
    "audiences: an id that is a list": ("audiences.json", b'{"vip": ["p1", ["p2"]]}',
                                        "audiences.json:1:16: audience `vip`: entry 2 is not a profile id (a string)"),
    "audiences: a number of 5000 digits": ("audiences.json", b'{"vip": [' + DIGITS + b"]}",
                                           f"audiences.json:1:10: {TOO_LONG}"),
    "datasources: an entry without a result": ("datasources.json", b'{"offers": [\n  {"with": {}, "result": 1},\n  {"with": {}}\n]}',
                                               "datasources.json:3:3: entry 2 of `offers` needs a `result`"),
    "datasources: a `with` not an object": ("datasources.json", b'{"offers": [{"with": [], "result": 1}]}',
                                            "datasources.json:1:22: entry 1 of `offers`: `with` must be an object"),
    "datasources: Infinity": ("datasources.json", b'{"offers": [{"result": Infinity}]}',
                              "datasources.json:1:24: infinity is not a number (numbers are finite; the largest is 1.7976931348623157e+308, and a larger one like 1e400 reads as infinity)"),
}

SCENARIO_CASES = {  # (the scenario's text, the message after `scenario.toml:`)
    "not TOML": ("start = \n", "1:9: not valid TOML (Invalid value)"),
    "a seed of 5000 digits": ("seed = " + "9" * 5000 + "\n", f"1:8: {TOO_LONG}"),
    "a huge seed": ("seed = 99999999999999999999\n", "1: `seed` must be a whole number from -2^63 to 2^63 - 1"),
    "a seed that is text": ('seed = "7"\n', "1: `seed` must be a whole number from -2^63 to 2^63 - 1, not a string"),
    "a start that is a date": ("start = 2026-03-01\n", "1: `start` must be a date-time, not a date: write it like 2026-03-01T00:00:00Z"),
    "an until that is a number": ("until = 5\n", "1: `until` must be a date-time like 2026-03-01T00:00:00Z, not an integer"),
    "a start without a zone": ("\nstart = 2026-03-01T00:00:00\n", "2: `start`: `2026-03-01 00:00:00` has no time zone: add Z (UTC) or an offset like +01:00"),
    "profiles that are a number": ("profiles = 5\n", "1: `profiles` must be a file name (a string), not an integer"),
    "events that are a list": ('events = ["a"]\n', "1: `events` must be a file name (a string), not an array"),
    "audiences that are a table": ("audiences = { a = 1 }\n", "1: `audiences` must be a file name (a string), not a table"),
    "datasources that are a boolean": ("datasources = true\n", "1: `datasources` must be a file name (a string), not a boolean"),
    "lifecycle that is a number": ("lifecycle = 5\n", "1: `lifecycle` must be written as [[lifecycle]] tables, not an integer"),
    "a lifecycle step that is a number": ("lifecycle = [5]\n", "1: [[lifecycle]] must be a table, not an integer"),
    "a journey name that is a number": ("[[lifecycle]]\nat = 2026-03-01T00:00:00Z\npublish = 5\n",
                                        "3: [[lifecycle]]: `publish` must be a journey's name (a string), not an integer"),
    "an at that is text": ('[[lifecycle]]\npublish = "Welcome"\nat = "soon"\n',
                           "3: `at`: `soon` is not a date-time (write it like 2026-03-01T09:00:00Z)"),
    "a version that is text": ('[[lifecycle]]\nat = 2026-03-01T00:00:00Z\npublish = "Welcome"\nversion = "1"\n',
                               "4: [[lifecycle]]: `version` must be a whole number from 1 to 2^63 - 1, not a string"),
    "a huge version": ('[[lifecycle]]\nat = 2026-03-01T00:00:00Z\npublish = "Welcome"\nversion = 99999999999999999999\n',
                       "4: [[lifecycle]]: `version` must be a whole number from 1 to 2^63 - 1"),
    "behaviour that is a number": ("behaviour = 5\n", "1: `behaviour` must be written as [[behaviour]] tables, not an integer"),
    "an action that is a number": ("[[behaviour]]\ncall = 5\nfail = 0.1\n",
                                   "2: [[behaviour]]: `call` must be a custom action's name (a string), not an integer"),
    "a failure rate of NaN": ('[[behaviour]]\ncall = "crm.sync"\nfail = nan\n', "3: [[behaviour]]: `fail` must be a number from 0 to 1"),
    "an emit that is a number": ('[[behaviour]]\nafter = "send email"\nemit = 5\n',
                                 "3: [[behaviour]] needs `emit` (a string), not an integer, or `call`"),
    "a probability of infinity": ('[[behaviour]]\nafter = "send email"\nemit = "opened"\nprobability = inf\n',
                                  "4: [[behaviour]]: `probability` must be a number from 0 to 1"),
    "a delay that is a number": ('[[behaviour]]\nafter = "send email"\nemit = "opened"\ndelay = 5\n',
                                 '4: [[behaviour]]: `delay` must be a duration like "2h" or a range like "1h..2d" (a string), not an integer'),
    "a delay longer than all time": ('[[behaviour]]\nafter = "send email"\nemit = "opened"\ndelay = "' + "9" * 5000 + 's"\n',
                                     "4: [[behaviour]]: `delay`: `9999999999999999999999999999999999999999…` is longer than any two instants are apart (at most 3,652,058 days, from 0001-01-01 to 9999-12-31)"),
    "a delay that runs backwards": ('[[behaviour]]\nafter = "send email"\nemit = "opened"\ndelay = "2d..1h"\n',
                                    "4: [[behaviour]]: `delay`: `2d..1h`: the range runs backwards"),
    "nested too deeply": ("x = " + "[" * 5000 + "]" * 5000 + "\n", "1:105: arrays and tables nested more than 100 deep"),
    "a key twice": ("seed = 1\nseed = 2\n", "2:9: not valid TOML (Cannot overwrite a value)"),
    "half a surrogate pair": ('seed = 1\nx = "\\ud83d"\n', "2:12: not valid TOML (Escaped character is not a Unicode scalar value)"),
}

OPTIONS = {"profiles": "--profiles", "events": "--events", "audiences": "--audiences",
           "datasources": "--datasources", "scenario": "--scenario"}


def run(directory, *words: str):
    result = CliRunner().invoke(main, ["run", str(directory / "welcome.journey"), *words],
                                prog_name="journey", env={"COLUMNS": "100"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback is a failure of the test, shown as one
    return result.exit_code, result.output


def workspace(tmp_path):
    (tmp_path / "welcome.journey").write_text(JOURNEY, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name", CASES)
def test_a_bad_input_file_is_one_located_error(name, tmp_path, monkeypatch):
    monkeypatch.chdir(workspace(tmp_path))
    file, content, message = CASES[name]
    (tmp_path / file).write_bytes(content)
    option = OPTIONS[file.split(".")[0]]
    assert run(tmp_path, option, file, *START) == (1, printed(message))


@pytest.mark.parametrize("name", SCENARIO_CASES)
def test_a_bad_scenario_is_one_located_error(name, tmp_path, monkeypatch):
    monkeypatch.chdir(workspace(tmp_path))
    text, message = SCENARIO_CASES[name]
    (tmp_path / "scenario.toml").write_text(text, encoding="utf-8")
    assert run(tmp_path, "--scenario", "scenario.toml", *START) == (
        1, printed(f"scenario.toml:{message}"))


@pytest.mark.parametrize("text, message", [
    ('profiles = "people"\n', "people: is a directory, not a file"),
    ('profiles = "missing.jsonl"\n', "missing.jsonl: no such file"),
    ('events = "/dev/zero"\n', "/dev/zero: is a device, not a file"),
])
def test_a_scenario_naming_what_is_not_a_file(text, message, tmp_path, monkeypatch):
    monkeypatch.chdir(workspace(tmp_path))
    (tmp_path / "people").mkdir()
    (tmp_path / "scenario.toml").write_text(text, encoding="utf-8")
    code, output = run(tmp_path, "--scenario", "scenario.toml", *START)
    assert code == 1
    assert output == printed(message)


def test_an_event_outside_the_instants_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(workspace(tmp_path))
    (tmp_path / "events.jsonl").write_bytes(
        EVENT + b'{"time": "9999-12-31T23:00:00-05:00", "profile": "p1", "event": "signup"}\n')
    assert run(tmp_path, "--events", "events.jsonl") == (
        1, "events.jsonl:2: error: `9999-12-31T23:00:00-05:00` is after 9999-12-31T23:59:59Z, "
           "the last instant there is\n")


def test_a_file_that_vanishes_or_cannot_be_read(tmp_path, monkeypatch):
    monkeypatch.chdir(workspace(tmp_path))
    (tmp_path / "profiles.jsonl").write_bytes(b'{"id": "p1"}\n')
    real_open = os.open

    def refused(path, *args, **kwargs):
        if str(path).endswith("profiles.jsonl"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(inputs.os, "open", refused)
    assert run(tmp_path, "--profiles", "profiles.jsonl", *START) == (
        1, "profiles.jsonl: error: permission denied\n")

    def vanished(path, *args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", str(path))

    monkeypatch.setattr(inputs.os, "open", vanished)
    assert run(tmp_path, "--profiles", "profiles.jsonl", *START) == (
        1, "profiles.jsonl: error: no such file\n")


def test_a_stream_longer_than_the_bound_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(workspace(tmp_path))
    read, write = os.pipe()
    monkeypatch.setattr(inputs, "MAX_STREAM", 10)
    with os.fdopen(write, "wb") as pipe:
        pipe.write(b'{"id": "p1"}\n' * 3)
    try:
        code, output = run(tmp_path, "--profiles", f"/dev/fd/{read}", *START)
    finally:
        os.close(read)
    assert (code, output) == (1, f"/dev/fd/{read}: error: more than 10 bytes read from this "
                                 "stream: too long for an input\n")


def printed(message: str) -> str:
    """How the command prints an input error located at the start of `message`."""
    where, _, text = message.partition(": ")
    return f"{where}: error: {text}\n"


# ---- as a process ------------------------------------------------------------------------

def journey(directory, *words: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeylang", "run", "welcome.journey", *words],
                          capture_output=True, text=True, timeout=timeout, cwd=directory)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_nobody_writes_to_reads_as_empty_without_hanging(tmp_path):
    os.mkfifo(workspace(tmp_path) / "events.jsonl")
    result = journey(tmp_path, "--events", "events.jsonl", *START, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_pipe_is_read_as_it_comes(tmp_path):
    workspace(tmp_path)
    result = subprocess.run(
        f"{sys.executable} -m journeylang run welcome.journey --events /dev/stdin --format json",
        shell=True, input=EVENT.decode().replace('"p1"', '"p00001"'), capture_output=True, text=True, timeout=60,
        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"sent": 1' in result.stdout


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_endless_zeros_from_a_pipe_stop_at_once(tmp_path):
    workspace(tmp_path)
    result = subprocess.run(
        f"head -c 100000000 /dev/zero | {sys.executable} -m journeylang run welcome.journey "
        "--events /dev/stdin", shell=True, capture_output=True, text=True, timeout=60,
        cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == "/dev/stdin:1:1: error: not a text file (it holds a NUL byte)\n"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="a file's mode binds only a user who is not root")
def test_a_file_without_read_permission(tmp_path):
    path = workspace(tmp_path) / "profiles.jsonl"
    path.write_bytes(b'{"id": "p1"}\n')
    path.chmod(stat.S_IWUSR)
    result = journey(tmp_path, "--profiles", "profiles.jsonl", *START)
    assert (result.returncode, result.stderr) == (1, "profiles.jsonl: error: permission denied\n")


@pytest.mark.parametrize("name", ["not UTF-8", "1e400", "nested beyond what json reads",
                                  "half a surrogate pair", "CSV: a cell over the csv module's limit",
                                  "CSV: a nested column beside a plain one"])
def test_a_bad_file_as_a_process_prints_its_error_and_no_traceback(name, tmp_path):
    file, content, message = CASES[name]
    (workspace(tmp_path) / file).write_bytes(content)
    result = journey(tmp_path, OPTIONS[file.split(".")[0]], file, *START)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", printed(message))


# ---- what a good file gives ----------------------------------------------------------------

def test_csv_cells_are_typed_by_the_schema_and_guessed_where_it_says_nothing(tmp_path):
    (workspace(tmp_path) / "profiles.csv").write_text(
        "id,code,points,vip,birthday,seen,consent.email,consent.sms,tier,visits\n"
        "007,007,007,TRUE,1990-12-31,2026-03-01T09:00:00+01:00,false,true,gold,007\n"
        '008,,1.5,,,,,,"",\n', encoding="utf-8")
    result = simulate(tmp_path / "welcome.journey", profiles=tmp_path / "profiles.csv",
                      start="2026-03-01T00:00:00Z")
    assert result.profiles == {
        "007": {"id": "007", "code": "007", "points": 7, "vip": True,
                "birthday": datetime.date(1990, 12, 31),
                "seen": datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.timezone.utc),
                "consent": {"email": False, "sms": True}, "tier": "gold", "visits": 7},
        "008": {"id": "008", "points": 1.5},
    }
