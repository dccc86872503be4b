"""Real mail servers on 127.0.0.1 for the tests: Dovecot (IMAP, IMAPS, STARTTLS) and an
aiosmtpd SMTP server (STARTTLS or implicit TLS, AUTH PLAIN/LOGIN) that can deliver what
it receives into Dovecot's maildir, so a form can go out and come back in one test.

Each instance lives in its own temp folder with its own ports, config, state and log, so
pytest-xdist workers never share anything. Dovecot runs as a child process
(``dovecot -F -c <own config>``) and reads no system configuration.

Dovecot as root: login processes must not run as root and mail must not be accessed as
uid 0 (both are hard checks), so under root logins run as ``dovenull``, internal
processes as ``dovecot`` and mail as the ``dovecot`` uid; as another user, everything runs
as that user. Both system users come with the Debian package dovecot-core."""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


class MailServerUnavailable(RuntimeError):
    """The server program is not installed or did not start."""


# ---------------------------------------------------------------- certificates


@dataclass(frozen=True)
class MailCerts:
    ca: Path  # trust this (ImapSettings/SmtpSettings.ca_file)
    cert: Path  # server certificate for localhost and 127.0.0.1, signed by ``ca``
    key: Path

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca))


def make_certs(folder: Path) -> MailCerts:
    """A throwaway CA and a server certificate (EC P-256: fast to make) with openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise MailServerUnavailable("openssl is not installed (apt-get install openssl)")
    folder.mkdir(parents=True, exist_ok=True)
    ca, ca_key = folder / "ca.pem", folder / "ca.key"
    cert, key = folder / "cert.pem", folder / "key.pem"
    csr, ext = folder / "req.csr", folder / "ext.cnf"
    ext.write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
    )
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for cmd in (
        [
            "req",
            "-x509",
            *curve,
            "-keyout",
            ca_key,
            "-out",
            ca,
            "-days",
            "2",
            "-subj",
            "/CN=zvit test CA",
        ],
        ["req", *curve, "-keyout", key, "-out", csr, "-subj", "/CN=localhost"],
        [
            "x509",
            "-req",
            "-in",
            csr,
            "-CA",
            ca,
            "-CAkey",
            ca_key,
            "-set_serial",
            str(uuid.uuid4().int >> 64),
            "-out",
            cert,
            "-days",
            "2",
            "-extfile",
            ext,
        ],
    ):
        subprocess.run([openssl, *map(str, cmd)], check=True, capture_output=True, timeout=30)
    return MailCerts(ca, cert, key)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---------------------------------------------------------------- Dovecot


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)),
        None,
    )


def dovecot_installed() -> bool:
    return dovecot_binary() is not None


def _accounts() -> tuple[str, str, int, int]:
    """(internal user, login user, mail uid, mail gid) for the current effective user."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        return me.pw_name, me.pw_name, me.pw_uid, me.pw_gid
    try:
        pwd.getpwnam("dovenull")
        internal = pwd.getpwnam("dovecot")
    except KeyError as exc:
        raise MailServerUnavailable("users dovecot/dovenull missing: install dovecot-core") from exc
    return "dovecot", "dovenull", internal.pw_uid, internal.pw_gid


_CONFIG = """\
instance_name = {name}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_home = {root}/mail/%n
mail_location = maildir:~/Maildir
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%n {root}/users/%n
}}
userdb {{
  driver = passwd-file
  args = username_format=%n {root}/users/%n
}}
service imap-login {{
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  # no auth penalty: tests log in with wrong passwords from 127.0.0.1 on purpose
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


@dataclass
class Dovecot:
    """A private Dovecot. ``users`` maps user → password (UTF-8 allowed)."""

    certs: MailCerts
    users: dict[str, str] = field(default_factory=lambda: {"tester": "s3cret-Pass"})
    root: Path = field(init=False)
    imap_port: int = 0
    imaps_port: int = 0
    _proc: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        # mode 755: the login processes (another user) must reach the sockets under run/
        self.root = Path(tempfile.mkdtemp(prefix="zvit-dovecot-"))
        self.root.chmod(0o755)

    def start(self, attempts: int = 3) -> None:
        binary = dovecot_binary()
        if binary is None:
            raise MailServerUnavailable("dovecot is not installed (apt-get install dovecot-imapd)")
        internal, login, self.uid, self.gid = _accounts()
        (self.root / "mail").mkdir(exist_ok=True)
        os.chown(self.root / "mail", self.uid, self.gid)
        self._write_passwd()
        for _ in range(attempts):
            self.imap_port, self.imaps_port = free_port(), free_port()
            (self.root / "dovecot.conf").write_text(
                _CONFIG.format(
                    name=f"zvit-{self.root.name}",
                    root=self.root,
                    internal=internal,
                    internal_group=grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name,
                    login=login,
                    uid=self.uid,
                    gid=self.gid,
                    cert=self.certs.cert,
                    key=self.certs.key,
                    imap_port=self.imap_port,
                    imaps_port=self.imaps_port,
                )
            )
            if self._launch(binary):
                return
        raise MailServerUnavailable(f"dovecot did not start:\n{self.log()}")

    def _write_passwd(self) -> None:
        # One passwd-file per user: Dovecot checks a known file for changes at most once a
        # second, but opens a file it has not seen yet at once.
        folder = self.root / "users"
        folder.mkdir(exist_ok=True)
        for user, password in self.users.items():
            if not (folder / user).exists():
                tmp = folder / f".{user}.tmp"
                tmp.write_text(f"{user}:{{PLAIN}}{password}::::::\n", encoding="utf-8")
                os.replace(tmp, folder / user)

    def add_user(self, password: str = "s3cret-Pass") -> tuple[str, str]:
        """A fresh account with an empty mailbox (user names: ASCII, as Dovecot wants)."""
        user = f"u{uuid.uuid4().hex[:12]}"
        self.users[user] = password
        self._write_passwd()
        return user, password

    def _launch(self, binary: str) -> bool:
        with (self.root / "stderr.log").open("ab") as err:
            self._proc = subprocess.Popen(
                [binary, "-F", "-c", str(self.root / "dovecot.conf")],
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                start_new_session=True,
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None  # most likely a port taken meanwhile: try others
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.imap_port), 0.5) as s:
                    s.settimeout(2)
                    if s.recv(64).startswith(b"* OK"):
                        return True
            except OSError:
                time.sleep(0.05)
        self.stop()
        return False

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(5)
            self._proc = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        parts = [
            p.read_text("utf-8", "replace")
            for p in (self.root / "stderr.log", self.root / "dovecot.log")
            if p.exists()
        ]
        return "\n".join(parts)[-4000:]

    # -- putting mail in

    def maildir(self, user: str = "tester") -> Path:
        return self.root / "mail" / user / "Maildir"

    def deliver(self, raw: bytes, user: str = "tester", seen: bool = False) -> Path:
        """Drop a message into the user's INBOX the way an MTA does (tmp/ → new/)."""
        box = self.maildir(user)
        for folder in (box.parent, box, box / "tmp", box / "new", box / "cur"):
            if not folder.exists():
                folder.mkdir(mode=0o700)
                os.chown(folder, self.uid, self.gid)
        name = f"{time.time_ns()}.{uuid.uuid4().hex}.zvit-test"
        tmp = box / "tmp" / name
        tmp.write_bytes(raw)
        os.chown(tmp, self.uid, self.gid)
        final = box / "cur" / f"{name}:2,S" if seen else box / "new" / name
        os.replace(tmp, final)
        return final

    def client(self, user: str = "tester") -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10)
        secret = f"\0{user}\0{self.users[user]}".encode()
        conn.authenticate("PLAIN", lambda _: secret)  # LOGIN in imaplib is ASCII-only
        return conn

    def append(
        self, raw: bytes, folder: str = "INBOX", user: str = "tester", flags: str = ""
    ) -> None:
        conn = self.client(user)
        try:
            typ, data = conn.append(folder, f"({flags})" if flags else None, None, raw)
            assert typ == "OK", data
        finally:
            conn.logout()

    def flags(self, folder: str = "INBOX", user: str = "tester") -> dict[int, str]:
        """UID → flags, read without changing anything."""
        conn = self.client(user)
        try:
            typ, _ = conn.select(folder, readonly=True)
            assert typ == "OK"
            typ, data = conn.uid("FETCH", "1:*", "(UID FLAGS)")
            out = {}
            for line in data:
                if isinstance(line, bytes) and b"UID" in line:
                    text = line.decode()
                    uid = int(text.split("UID ", 1)[1].split()[0].rstrip(")"))
                    out[uid] = text.split("FLAGS (", 1)[1].split(")", 1)[0]
            return out
        finally:
            conn.logout()


# ---------------------------------------------------------------- SMTP (aiosmtpd)


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    login: str | None
    peer: str = ""  # the client's address and port: one per connection


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_MAIL(
        self, smtp: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        limit = self.server.drop_after
        if limit is not None and len(self.server.messages) >= limit:
            assert smtp.transport is not None
            smtp.transport.abort()  # the connection drops, as when a server goes away
            return "421 closing"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, smtp: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.server.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, smtp: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        login = (
            session.auth_data.login.decode()
            if isinstance(session.auth_data, LoginPassword)
            else None
        )
        received = Received(
            str(envelope.mail_from), tuple(envelope.rcpt_tos), data, login, str(session.peer)
        )
        with self.server.lock:
            self.server.messages.append(received)
        if self.server.deliver_to is not None:
            self.server.deliver_to.deliver(data, user=self.server.deliver_user)
        return "250 Message accepted"


class _Controller(Controller):
    """Binds port 0 (no race between xdist workers) and learns the real port before
    aiosmtpd's start-up probe connects."""

    def __init__(self, *args: Any, client_context: ssl.SSLContext, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client_context = client_context

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = int(self.server.sockets[0].getsockname()[1])
        with socket.create_connection((self.hostname, self.port), 5.0) as sock:
            if self.ssl_context is not None:
                with self.client_context.wrap_socket(sock, server_hostname="localhost") as tls:
                    tls.recv(1024)
            else:
                sock.recv(1024)


@dataclass
class SmtpServer:
    """SMTP on 127.0.0.1. ``implicit_tls`` serves TLS from the first byte (SMTP_SSL);
    otherwise STARTTLS is offered and, with ``users``, AUTH is required after it."""

    certs: MailCerts
    users: dict[str, str] = field(default_factory=lambda: {"mailer": "s3cret-Pass"})
    implicit_tls: bool = False
    require_auth: bool = True
    deliver_to: Dovecot | None = None
    deliver_user: str = "tester"
    refuse: set[str] = field(default_factory=set)  # RCPT TO answered 550 (lower case)
    drop_after: int | None = None  # once this many messages came, MAIL FROM drops the line
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: _Controller | None = None

    @property
    def port(self) -> int:
        assert self._controller is not None
        return int(self._controller.port)

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and self.users.get(
            auth_data.login.decode("utf-8", "replace")
        ) == auth_data.password.decode("utf-8", "replace")
        # handled=False: aiosmtpd itself answers 235 or 535
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def start(self) -> None:
        tls = self.certs.server_context()
        kwargs: dict[str, Any] = {
            "authenticator": self._authenticate,
            "auth_required": self.require_auth,
        }
        if self.implicit_tls:
            # aiosmtpd counts only STARTTLS as TLS for AUTH; AUTH stays optional here
            kwargs |= {"ssl_context": tls, "auth_require_tls": False, "auth_required": False}
        else:
            kwargs |= {"tls_context": tls, "require_starttls": True}
        self._controller = _Controller(
            _Handler(self),
            hostname="127.0.0.1",
            port=0,
            server_hostname="localhost",
            client_context=self.certs.client_context(),
            ready_timeout=10,
            **kwargs,
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def parsed(self, index: int = -1) -> Any:
        return BytesParser(policy=default_policy).parsebytes(self.messages[index].data)
