"""Secrets of the payment provider (client secret, access token) encrypted at rest.

Fernet (AES-128-CBC + HMAC-SHA256) with a key derived from ``PAYMENTS_SECRET_KEY``
(falls back to ``SECRET_KEY``): a database dump alone does not give the secrets.
Changing the key makes the stored secrets unreadable: the association then connects
its account again."""

from __future__ import annotations

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    return _fernet_for(settings.PAYMENTS_SECRET_KEY or settings.SECRET_KEY)


@functools.lru_cache(maxsize=4)
def _fernet_for(material: str) -> Fernet:
    key = hashlib.pbkdf2_hmac("sha256", material.encode(), b"maillon.payments.v1", 100_000)
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(value: str) -> str:
    if not value:
        return ""
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        return ""
