"""A push service of our own on loopback, speaking RFC 8030 over TLS, for the push tests.

It does what a browser's push service does with our request: checks the VAPID JWT (RFC 8292:
ES256 signature against the key in `k`, audience = this service's origin, expiry in the future and
within 24 hours, a `sub`), then decrypts the aes128gcm body (RFC 8291) with the private key and
auth secret of the "device" the test made, and keeps the plain payload: what the phone would show.
It answers 201, or whatever a test queued (410, 429, 500...), and can be stopped and started again
on the same port (a push service that is down, then back).

Written with http.server and `cryptography`/`http_ece`, not pywebpush: the checks here must not
share code with the sender they check.
"""

import base64
import datetime
import ipaddress
import json
import ssl
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import http_ece
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID

from tests.waiting import wait_until


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's side of a subscription: the keys only the device has."""

    id: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    endpoint: str

    def subscription_json(self):
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth_secret)},
        }


@dataclass
class Received:
    device_id: str
    payload: dict
    headers: dict
    claims: dict


@dataclass
class PushService:
    vapid_public_key: str  # base64url uncompressed point: the only key whose JWTs we accept
    devices: dict = field(default_factory=dict)
    received: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (status, reason) of each request we turned down
    answers: list = field(default_factory=list)  # statuses to answer next, before decrypting
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None
    port: int = 0
    directory: Path | None = None

    @property
    def origin(self):
        return f"https://localhost:{self.port}"

    @property
    def ca_bundle(self):
        return str(self.directory / "ca.pem")

    def new_device(self) -> Device:
        device_id = uuid.uuid4().hex
        device = Device(
            id=device_id,
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=uuid.uuid4().bytes,
            endpoint=f"{self.origin}/push/{device_id}",
        )
        self.devices[device_id] = device
        return device

    def answer_next(self, *statuses):
        with self.lock:
            self.answers.extend(statuses)

    def payloads_for(self, device):
        return [entry.payload for entry in self.received if entry.device_id == device.id]

    def wait_for(self, count, timeout=20):
        """What arrived, once at least `count` pushes have (a test fails after `timeout` seconds)."""
        wait_until(lambda: len(self.received) >= count, timeout=timeout, what=f"{count} push(es)")
        return self.received

    # --- The checks a real push service makes ---

    def check_vapid(self, authorization: str) -> dict:
        scheme, _, parameters = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"authorization scheme {scheme!r}, not vapid")
        parts = dict(part.strip().split("=", 1) for part in parameters.split(","))
        if parts.get("k") != self.vapid_public_key:
            raise ValueError("k is not the application server key")
        header_b64, claims_b64, signature_b64 = parts["t"].split(".")
        header = json.loads(unb64url(header_b64))
        if header.get("alg") != "ES256":
            raise ValueError(f"alg {header.get('alg')!r}")
        signature = unb64url(signature_b64)
        if len(signature) != 64:
            raise ValueError("an ES256 signature is 64 bytes")
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(parts["k"]))
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        try:
            public_key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise ValueError("bad signature") from None
        claims = json.loads(unb64url(claims_b64))
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud {claims.get('aud')!r} is not {self.origin}")
        now = time.time()
        if not now < claims.get("exp", 0) <= now + 24 * 3600:
            raise ValueError("exp is past or more than 24 hours ahead")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            raise ValueError("sub is missing")
        return claims

    def handle(self, request) -> tuple[int, str]:
        device_id = request.path.removeprefix("/push/")
        body = request.rfile.read(int(request.headers.get("Content-Length", 0)))
        with self.lock:
            if self.answers:
                return self.answers.pop(0), "queued answer"
        device = self.devices.get(device_id)
        if device is None:
            return 404, "no such subscription"
        try:
            claims = self.check_vapid(request.headers.get("Authorization", ""))
        except (ValueError, KeyError) as error:
            return 403, f"VAPID: {error}"
        if request.headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in request.headers:
            return 400, "needs Content-Encoding: aes128gcm and TTL"
        try:
            plain = http_ece.decrypt(
                body, private_key=device.private_key, auth_secret=device.auth_secret, version="aes128gcm"
            )
        except Exception as error:  # Anything that does not decrypt is the sender's fault.
            return 400, f"does not decrypt: {type(error).__name__}"
        with self.lock:
            self.received.append(
                Received(
                    device.id, json.loads(plain), {k.lower(): v for k, v in request.headers.items()}, claims
                )
            )
        return 201, "created"

    # --- Running ---

    def start(self):
        if self.directory is None:
            self.directory = Path(tempfile.mkdtemp(prefix="push-service-"))
            self._make_certificates()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                status, reason = service.handle(self)
                if status != 201:
                    with service.lock:
                        service.refused.append((status, reason))
                self.send_response(status)
                if status == 201:
                    self.send_header("Location", f"{service.origin}/message/{uuid.uuid4().hex}")
                self.send_header("Content-Length", str(len(reason)))
                self.end_headers()
                self.wfile.write(reason.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.directory / "server.pem", self.directory / "server-key.pem")
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        """Down: connections are refused until `start()` again (same port, same devices)."""
        self.server.shutdown()
        self.server.server_close()

    def _make_certificates(self):
        """A throwaway CA and a certificate for localhost/127.0.0.1 that it signed."""
        now = datetime.datetime.now(datetime.UTC)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test push service CA")])
        ca = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
            )
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        (self.directory / "ca.pem").write_bytes(ca.public_bytes(pem))
        (self.directory / "server.pem").write_bytes(certificate.public_bytes(pem))
        (self.directory / "server-key.pem").write_bytes(
            key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
