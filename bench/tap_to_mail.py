#!/usr/bin/python3
"""Tap-to-mail, the mail side and the figures (bench/tap_to_mail.sh runs both).

  tap_to_mail.py sink --dir DIR
  tap_to_mail.py report TAPS ACCEPTED SERVER_DB

sink: a real SMTP server on loopback (Debian's python3-aiosmtpd) on a free port, written to
DIR/port once it listens. For each message, as soon as its last line has arrived and before it
answers 250, it takes the time and appends one line to DIR/accepted.tsv: the answer the mail
names (its comment, "bench tap 000042", read from the decoded text part), the time (Unix ms),
the alert id (from the Message-ID, "alert-ID.rN@..."), the recipient. Runs until SIGTERM.

report: joins the terminals' taps (bench-tap-to-mail's TAPS_FILE) to the mails accepted and to
head office's database, and prints the table: tap to mail accepted, and its stages, p50 / p99 /
max, in ms.
"""
import email
import email.policy
import os
import re
import signal
import socket
import sqlite3
import sys
import threading
import time

KEY = re.compile(r"bench tap \d{6}")
ALERT_ID = re.compile(r"<alert-(\d+)\.r\d+@")


class Sink:
    def __init__(self, path):
        self.out = open(path, "a", buffering=1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        accepted_ms = int(time.time() * 1000)
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        text = message.get_body(("plain",)).get_content()
        key = KEY.search(text)
        alert = ALERT_ID.search(message.get("Message-ID", ""))
        with self.lock:
            self.out.write("%s\t%d\t%s\t%s\n" % (key.group(0) if key else "-", accepted_ms,
                                                 alert.group(1) if alert else "-",
                                                 ",".join(envelope.rcpt_tos)))
        return "250 2.0.0 accepted"


def sink(directory):
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(os.path.join(directory, "accepted.tsv")), hostname="127.0.0.1",
                            port=port, ready_timeout=10)
    controller.start()
    with open(os.path.join(directory, "port.tmp"), "w") as out:
        out.write(str(port))
    os.rename(os.path.join(directory, "port.tmp"), os.path.join(directory, "port"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


def at(values, q):
    """The q-quantile as bench-tap-to-durable takes it: sorted[min(n - 1, floor(q n))]."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def row(name, values):
    if not values:
        return "| %s | 0 | | | |" % name
    return "| %s | %d | %d | %d | %d |" % (name, len(values), at(values, 0.5), at(values, 0.99),
                                          max(values))


def report(taps_path, accepted_path, db_path):
    taps = {}
    with open(taps_path) as lines:
        for line in lines:
            key, tap_ms, committed_ms, uuid, terminal = line.rstrip("\n").split("\t")
            taps[key] = {"tap": int(tap_ms), "committed": int(committed_ms), "uuid": uuid}
    mails = {}
    with open(accepted_path) as lines:
        for line in lines:
            key, accepted_ms, alert_id, _ = line.rstrip("\n").split("\t")
            mails.setdefault(key, []).append((int(accepted_ms), alert_id))
    db = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    server = {}
    for uuid, received, source, opened, queued, sent, suspect in db.execute(
            "SELECT r.uuid, r.received_at_ms, a.source, a.updated_at_ms, m.created_at_ms, "
            "m.sent_at_ms, r.suspect_reason FROM responses r "
            "LEFT JOIN alerts a ON a.response_uuid = r.uuid "
            "LEFT JOIN mail_outbox m ON m.alert_id = a.id"):
        server[uuid] = (received, source, opened, queued, sent, suspect)

    total, by_source = [], {}
    stages = {name: [] for name in ("stored", "opened", "queued", "sent", "accepted")}
    missing, twice, suspect = [], 0, 0
    for key, tap in taps.items():
        got = mails.get(key, [])
        twice += max(0, len(got) - 1)
        if not got:
            missing.append(key)
            continue
        accepted = min(ms for ms, _ in got)
        latency = accepted - tap["tap"]
        total.append(latency)
        received, source, opened, queued, sent, reason = server.get(
            tap["uuid"], (None,) * 6)
        suspect += 1 if reason else 0
        by_source.setdefault(source or "?", []).append(latency)
        marks = [tap["tap"], received, opened, queued, sent, accepted]
        if None not in marks:
            for name, (before, after) in zip(stages, zip(marks, marks[1:])):
                stages[name].append(after - before)

    print("answers tapped %d, mails accepted for %d, missing %d, extra mails %d, suspect %d"
          % (len(taps), len(total), len(missing), twice, suspect))
    if missing:
        print("missing: " + ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else ""))
    print("| ms | alerts | p50 | p99 | max |")
    print("| --- | --- | --- | --- | --- |")
    print(row("**tap to mail accepted**", total))
    for source, values in sorted(by_source.items()):
        print(row("the same, alert opened by the %s" % source, values))
    names = {"stored": "tap to answer stored at head office (terminal sync)",
             "opened": "stored to alert opened (scan or terminal's alert sync)",
             "queued": "alert opened to mail queued (mail service tick)",
             "sent": "queued to mail handed over (same tick, SMTP)",
             "accepted": "handed over to accepted by the SMTP server"}
    for name, values in stages.items():
        print(row(names[name], values))
    commit = [t["committed"] - t["tap"] for t in taps.values()]
    print(row("tap to committed on the terminal", commit))
    return 0 if not missing else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "sink" and sys.argv[2] == "--dir":
        sink(sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "report":
        sys.exit(report(*sys.argv[2:]))
    else:
        sys.exit(__doc__)
