"""Sending mail over SMTP (plain, STARTTLS or SSL), one connection for a whole run."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.utils import parseaddr
from types import TracebackType

from email_validator import EmailNotValidError, validate_email

from procradar.core.settings import Settings

log = logging.getLogger(__name__)
SECURITY = ("none", "starttls", "ssl")


class MailError(RuntimeError):
    """The SMTP server could not be reached or refused a message; the message says which."""


class AddressError(ValueError):
    """Not a usable email address; the message says why (safe to show)."""


def normalise_address(raw: str) -> str:
    """A checked, normalised address (no DNS lookups; CR/LF and the like never pass)."""
    if len(raw) > 254 or any(c in raw for c in "\r\n\0"):
        raise AddressError("not an email address")
    try:
        found = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise AddressError(str(exc)) from exc
    return str(found.normalized)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    timeout: float
    sender: str  # the From address, "Name <addr>" or "addr"

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        security = str(settings.get("digest.smtp.security") or "none")
        if security not in SECURITY:
            raise MailError(f"digest.smtp.security must be one of {', '.join(SECURITY)}")
        return cls(
            host=str(settings.get("digest.smtp.host") or "127.0.0.1"),
            port=int(settings.get("digest.smtp.port") or 25),
            security=security,
            user=settings.get("digest.smtp.user") or None,
            password=settings.get("digest.smtp.password") or None,
            timeout=float(settings.get("digest.smtp.timeout") or 30),
            sender=str(settings.get("digest.from_address") or "procradar@localhost"),
        )

    @property
    def envelope_from(self) -> str:
        return parseaddr(self.sender)[1] or self.sender


class Mailer:
    """`with Mailer(cfg) as m: m.send(recipient, bytes)`; connects on first send."""

    def __init__(self, config: SmtpConfig):
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        try:
            smtp: smtplib.SMTP
            if cfg.security == "ssl":
                ctx = ssl.create_default_context()
                smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout, context=ctx)
            else:
                smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
                if cfg.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if cfg.user:
                smtp.login(cfg.user, cfg.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"cannot connect to SMTP {cfg.host}:{cfg.port}: {exc}") from exc
        return smtp

    def send(self, recipient: str, message: bytes) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.sendmail(self.config.envelope_from, [recipient], message)
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise MailError(f"SMTP refused the message to {recipient}: {exc}") from exc
        if refused:
            raise MailError(f"SMTP refused {recipient}: {refused}")

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None
