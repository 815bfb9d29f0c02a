"""Checkpoints also reach a syslog server and a webhook (HAVEN_AUDIT_CHECKPOINT_TARGETS), in the line format
`haven audit verify --checkpoints` reads back."""
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.test import SimpleTestCase, override_settings

from haven.audit.checkpoint import Checkpoint, parse_checkpoints, read_checkpoints, write_checkpoint

CHECKPOINT = Checkpoint(seq=41, mac="ab" * 32, key_id="0123456789abcdef", kind="append")


class TargetTests(SimpleTestCase):
    def test_syslog_and_webhook_receive_the_line(self):
        received: list[bytes] = []

        class Hook(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                """Quiet: the base class writes every request to stderr."""

        server = HTTPServer(("127.0.0.1", 0), Hook)
        thread = threading.Thread(target=server.handle_request)
        thread.start()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as syslog:
            syslog.bind(("127.0.0.1", 0))
            syslog.settimeout(30)
            targets = [f"syslog:127.0.0.1:{syslog.getsockname()[1]}", f"http://127.0.0.1:{server.server_port}/"]
            with override_settings(HAVEN_AUDIT_CHECKPOINT_TARGETS=targets):
                write_checkpoint(CHECKPOINT)
            datagram = syslog.recv(4096).decode()
        thread.join(30)
        server.server_close()
        self.assertIn("haven-audit-checkpoint", datagram)
        self.assertEqual(parse_checkpoints([datagram])[0].mac, CHECKPOINT.mac)
        self.assertEqual(json.loads(received[0])["seq"], 41)
        self.assertEqual(read_checkpoints()[-1].seq, 41)  # and the file, always

    def test_an_unreachable_target_does_not_lose_the_file_line(self):
        with override_settings(HAVEN_AUDIT_CHECKPOINT_TARGETS=["http://127.0.0.1:9/"]):
            with self.assertLogs("haven.audit.checkpoint", "ERROR"):
                write_checkpoint(CHECKPOINT)
        self.assertEqual(read_checkpoints()[-1].seq, 41)
