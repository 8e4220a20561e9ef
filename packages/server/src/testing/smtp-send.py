"""Test support: a real SMTP client (Python's smtplib) that sends one message to faxd's mail gateway and prints, as one
JSON object, what the server answered at each step.

usage: smtp-send.py < REQUEST.json
REQUEST: {"port", "from", "to": [...], "raw": PATH of the message} or {..., "subject", "text", "attachments":
[{"path", "filename", "contentType"}]}; "login": [user, password] to AUTH first; "starttls": CA file to STARTTLS
first, trusting only that CA and checking the certificate is for 127.0.0.1.
ANSWER: {"accepted": bool, "data": [code, text], "refused": {rcpt: [code, text]}, "error": {"stage", "code", "text"},
"fingerprint": the SHA-256 of the server's certificate after STARTTLS, as AB:CD:...}
"""

import hashlib
import json
import smtplib
import ssl
import sys
from email.message import EmailMessage


def build(request):
    if "raw" in request:
        with open(request["raw"], "rb") as source:
            return source.read()
    message = EmailMessage()
    message["From"] = request["from"]
    message["To"] = ", ".join(request["to"])
    message["Subject"] = request.get("subject", "")
    message.set_content(request.get("text", ""))
    for attachment in request.get("attachments", []):
        with open(attachment["path"], "rb") as source:
            maintype, subtype = attachment["contentType"].split("/")
            message.add_attachment(source.read(), maintype=maintype, subtype=subtype, filename=attachment["filename"])
    return message.as_bytes()


def main():
    request = json.load(sys.stdin)
    answer = {"accepted": False, "refused": {}}
    client = smtplib.SMTP("127.0.0.1", request["port"], timeout=60)
    try:
        client.ehlo("client.test")
        if "starttls" in request:
            context = ssl.create_default_context(cafile=request["starttls"])
            code, text = client.starttls(context=context)
            der = client.sock.getpeercert(binary_form=True)
            answer["fingerprint"] = ":".join("%02X" % b for b in hashlib.sha256(der).digest())
            client.ehlo("client.test")
        if "login" in request:
            try:
                client.login(*request["login"])
            except smtplib.SMTPAuthenticationError as error:
                answer["error"] = {"stage": "auth", "code": error.smtp_code, "text": error.smtp_error.decode()}
                return answer
            except smtplib.SMTPNotSupportedError as error:
                # The server did not offer AUTH at all: code 0, as no reply was had.
                answer["error"] = {"stage": "auth", "code": 0, "text": str(error)}
                return answer
        code, text = client.mail(request["from"])
        if code != 250:
            answer["error"] = {"stage": "mail", "code": code, "text": text.decode()}
            return answer
        good = 0
        for rcpt in request["to"]:
            code, text = client.rcpt(rcpt)
            if code in (250, 251):
                good += 1
            else:
                answer["refused"][rcpt] = [code, text.decode()]
        if good == 0:
            return answer
        try:
            code, text = client.data(build(request))
        except smtplib.SMTPDataError as error:
            code, text = error.smtp_code, error.smtp_error
        answer["data"] = [code, text.decode()]
        answer["accepted"] = code == 250
        return answer
    except smtplib.SMTPServerDisconnected as error:
        answer["error"] = {"stage": "disconnected", "code": 0, "text": str(error)}
        return answer
    finally:
        try:
            client.quit()
        except Exception:
            pass


if __name__ == "__main__":
    print(json.dumps(main()))
