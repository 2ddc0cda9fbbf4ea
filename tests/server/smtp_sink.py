#!/usr/bin/python3
"""A real SMTP server on loopback for the mail tests (Debian's python3-aiosmtpd).

  smtp_sink.py --dir DIR [--refuse-data N] [--reject ADDRESS] [--hold SECONDS]
               [--tls-cert PEM --tls-key PEM [--implicit-tls]] [--auth USER:PASSWORD]
               [--port N]

Listens on 127.0.0.1 (a free port unless --port) and writes the port to DIR/port once it
listens. Each message it accepts is kept as DIR/NNN.eml, its bytes as received, with its
recipients in DIR/NNN.rcpt. --refuse-data answers the first N messages with 451 (try later);
--reject answers RCPT TO of that address with 550; --hold waits that long after keeping a
message before it answers 250 (so a test can kill the sender while it waits). With a
certificate it offers STARTTLS and refuses mail without it, or speaks TLS from the first byte
with --implicit-tls; --auth wants that user and password. Runs until SIGTERM.
"""
import argparse
import asyncio
import os
import signal
import socket
import ssl
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, args):
        self.args = args
        self.refuse_left = args.refuse_data
        self.kept = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.args.reject:
            return "550 5.1.1 <%s>: no such mailbox here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_left > 0:
                self.refuse_left -= 1
                return "451 4.3.0 the mail system is busy; try again later"
            self.kept += 1
            number = self.kept
        base = os.path.join(self.args.dir, "%03d" % number)
        with open(base + ".tmp", "wb") as out:
            out.write(envelope.original_content)
        with open(base + ".rcpt", "w") as out:
            out.write("\n".join(envelope.rcpt_tos) + "\n")
        os.rename(base + ".tmp", base + ".eml")
        if self.args.hold > 0:
            await asyncio.sleep(self.args.hold)
        return "250 2.0.0 kept as %03d" % number


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--refuse-data", type=int, default=0)
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--hold", type=float, default=0)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth")
    args = parser.parse_args()

    options = {}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if args.implicit_tls:
            options["ssl_context"] = context
        else:
            options["tls_context"] = context
            options["require_starttls"] = True
    if args.auth:
        user, password = args.auth.split(":", 1)

        def check(server, session, envelope, mechanism, data):
            ok = (isinstance(data, LoginPassword) and data.login.decode() == user
                  and data.password.decode() == password)
            return AuthResult(success=ok, handled=False)

        options["authenticator"] = check
        options["auth_required"] = True
        options["auth_require_tls"] = bool(args.tls_cert)
    port = args.port or free_port()
    controller = Controller(Sink(args), hostname="127.0.0.1", port=port,
                            server_hostname="localhost", ready_timeout=10, **options)
    controller.start()
    with open(os.path.join(args.dir, "port.tmp"), "w") as out:
        out.write(str(port))
    os.rename(os.path.join(args.dir, "port.tmp"), os.path.join(args.dir, "port"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
