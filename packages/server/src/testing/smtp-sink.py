"""Test support: an SMTP server that is not faxd's code (aiosmtpd, Debian's python3-aiosmtpd) and keeps each mail it
accepts as N.eml plus N.json (envelope, headers, text body, attachments saved as N-K-FILENAME), parsed by Python's
email package. Prints "LISTENING PORT" once ready, "STALL" when it holds a mail's DATA without answering (the first
--stall mails), and "MAIL N" once a mail is stored and about to be answered 250.

usage: smtp-sink.py DIRECTORY [--port N] [--stall N]
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory, stall):
        self.directory = directory
        self.stall = stall
        self.count = len([name for name in os.listdir(directory) if name.endswith(".json")])

    async def handle_DATA(self, server, session, envelope):
        if self.stall > 0:
            self.stall -= 1
            print("STALL", flush=True)
            # Held until the client goes away: aiosmtpd cancels this when the connection is lost.
            await asyncio.sleep(3600)
        self.count += 1
        n = self.count
        raw = envelope.original_content or envelope.content
        with open(os.path.join(self.directory, f"{n}.eml"), "wb") as out:
            out.write(raw)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        attachments = []
        for k, part in enumerate(message.iter_attachments(), start=1):
            filename = part.get_filename() or f"part-{k}"
            path = os.path.join(self.directory, f"{n}-{k}-{os.path.basename(filename)}")
            with open(path, "wb") as out:
                out.write(part.get_payload(decode=True))
            attachments.append({"filename": filename, "contentType": part.get_content_type(), "path": path})
        summary = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "messageId": str(message["Message-ID"]),
            "text": body.get_content().replace("\r\n", "\n") if body is not None else "",
            "attachments": attachments,
        }
        # Written aside and renamed into place: a reader polling the directory never sees half a summary.
        final = os.path.join(self.directory, f"{n}.json")
        with open(f"{final}.partial", "w") as out:
            json.dump(summary, out)
        os.replace(f"{final}.partial", final)
        print(f"MAIL {n}", flush=True)
        return "250 OK"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--stall", type=int, default=0)
    args = parser.parse_args()
    sink = Sink(args.directory, args.stall)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(sink, hostname="sink.test", data_size_limit=128 * 1024 * 1024), "127.0.0.1", args.port
    )
    print(f"LISTENING {server.sockets[0].getsockname()[1]}", flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
