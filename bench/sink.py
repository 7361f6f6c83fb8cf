"""The SMTP sink of the digest benchmark, in its own process: one line per message received
(arrival time, recipients) appended to a file, nothing parsed. `python bench/sink.py PORT FILE`."""

import signal
import sys
import time

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        with open(self.path, "a") as file:
            file.write(f"{time.time()}\t{','.join(envelope.rcpt_tos)}\n")
        return "250 Message accepted for delivery"


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Recorder(path), hostname="127.0.0.1", port=port)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
