"""SEC050-SEC055: hashing, randomness, secrets, ciphers and JWT, and the noise
other linters are known for, asserted quiet."""

from __future__ import annotations

import pytest

from tests.helpers import Case, case, lint

SEC050_CASES = [
    case("sha256-of-password-param", """
        import hashlib
        def store(user, password):
            user.pw = hashlib.sha256(password.encode()).hexdigest()
        """, [(3, 14, "SEC050")]),
    case("even-with-usedforsecurity-false", """
        import hashlib
        def check(raw_password):
            return hashlib.md5(raw_password.encode(), usedforsecurity=False).hexdigest()
        """, [(3, 11, "SEC050")]),
    case("password-attribute-and-key", """
        import hashlib
        def a(user, form):
            x = hashlib.sha1(user.password)
            y = hashlib.sha512(form["new_password"].encode())
        """, [(3, 8, "SEC050"), (4, 8, "SEC050")]),
    case("through-a-local-and-update", """
        import hashlib
        def store(form):
            pw = form["password"]
            h = hashlib.sha256()
            h.update(pw.encode())
            return h.hexdigest()
        """, [(5, 4, "SEC050")]),
    case("salted-concatenation", """
        import hashlib
        def store(salt, password):
            return hashlib.sha256((salt + password).encode()).hexdigest()
        """, [(3, 11, "SEC050")]),
    case("hmac-of-password", """
        import hmac
        def store(key, password):
            return hmac.new(key, password.encode(), "sha256").hexdigest()
        """, [(3, 11, "SEC050")]),
    case("digest-stored-into-password-field", """
        import hashlib
        def store(user, secret_text):
            digest = hashlib.sha256(secret_text).hexdigest()
            user.password_hash = digest
        """, [(4, 4, "SEC050")]),
    case("digest-as-password-keyword", """
        import hashlib
        def create(User, text):
            return User(email="a", password=hashlib.md5(text).hexdigest())
        """, [(3, 36, "SEC050")]),
    case("pbkdf2-too-few-iterations", """
        import hashlib
        def derive(password, salt):
            return hashlib.pbkdf2_hmac("sha256", password, salt, 100_000)
        """, [(3, 11, "SEC050")]),
    case("pbkdf2-iterations-from-constant", """
        import hashlib
        ITERATIONS = 10000
        def derive(pw, salt):
            return hashlib.pbkdf2_hmac("sha256", pw, salt, iterations=ITERATIONS)
        """, [(4, 11, "SEC050")]),
    case("pbkdf2-sha1-needs-more", """
        import hashlib
        key = hashlib.pbkdf2_hmac("sha1", b"p", b"s", 700_000)
        """, [(2, 6, "SEC050")]),
    case("cryptography-pbkdf2hmac", """
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
        kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=b"s", iterations=1000)
        """, [(3, 6, "SEC050")]),
    case("bcrypt-few-rounds", """
        import bcrypt
        salt = bcrypt.gensalt(rounds=10)
        """, [(2, 7, "SEC050")]),
    case("scrypt-weak-cost", """
        import hashlib
        key = hashlib.scrypt(b"pw", salt=b"s", n=2 ** 10, r=8, p=1)
        """, [(2, 6, "SEC050")]),
    case("django-hashers-led-by-md5", """
        PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ]
        """, [(1, 0, "SEC050")]),
    # --- quiet -------------------------------------------------------------
    case("argon2-bcrypt-scrypt", """
        import bcrypt, hashlib
        from argon2 import PasswordHasher
        def store(user, password):
            user.password_hash = PasswordHasher().hash(password)
            user.legacy = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
            user.k = hashlib.scrypt(password.encode(), salt=b"s", n=2 ** 14, r=8, p=1)
        """, []),
    case("well-tuned-pbkdf2", """
        import hashlib
        a = hashlib.pbkdf2_hmac("sha256", b"p", b"s", 600_000)
        b = hashlib.pbkdf2_hmac("sha512", b"p", b"s", 210_000)
        """, []),
    case("unknown-iterations", """
        import hashlib
        def derive(pw, salt, n):
            return hashlib.pbkdf2_hmac("sha256", pw, salt, n)
        """, []),
    case("password-reset-url-is-not-a-password", """
        import hashlib
        def link(password_reset_url, token_type):
            return hashlib.sha256(password_reset_url.encode() + token_type.encode()).hexdigest()
        """, []),
    case("hash-of-password-hash-field", """
        import hashlib
        def etag(user):
            return hashlib.sha256(user.password_hash.encode()).hexdigest()
        """, []),
    case("function-named-like-password-is-not-read", """
        import hashlib
        def f(data):
            return hashlib.sha256(check_password(data)).hexdigest()
        """, []),
    case("django-default-hashers", """
        PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.Argon2PasswordHasher",
            "django.contrib.auth.hashers.MD5PasswordHasher",
        ]
        """, []),
]

SEC051_CASES = [
    case("hashlib-md5-and-sha1", """
        import hashlib
        def sign(data):
            return hashlib.md5(data).hexdigest(), hashlib.sha1(data).digest()
        """, [(3, 11, "SEC051"), (3, 42, "SEC051")]),
    case("hashlib-new-by-name", """
        import hashlib
        ALG = "SHA1"
        def sign(data):
            return hashlib.new(ALG, data).hexdigest()
        """, [(4, 11, "SEC051")]),
    case("pycryptodome-and-cryptography", """
        from Crypto.Hash import MD5
        from cryptography.hazmat.primitives import hashes
        def sign(builder, key, data):
            MD5.new(data)
            return builder.sign(key, hashes.SHA1())
        """, [(4, 4, "SEC051"), (5, 29, "SEC051")]),
    case("imported-function", """
        from hashlib import sha1
        signature = sha1(b"x").hexdigest()
        """, [(2, 12, "SEC051")]),
    case("imported-under-an-alias-in-the-function", """
        def sign(data):
            from hashlib import md5 as digest
            return digest(data).hexdigest()
        """, [(3, 11, "SEC051")]),
    # --- quiet -------------------------------------------------------------
    case("usedforsecurity-false", """
        import hashlib
        def key_for(url):
            return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
        """, []),
    case("cache-key-and-etag-names", """
        import hashlib
        def cache_key(url):
            return hashlib.md5(url.encode()).hexdigest()
        def view(body):
            etag = hashlib.sha1(body).hexdigest()
            return etag
        """, []),
    case("lookup-key-but-not-signing-key", """
        import hashlib
        def get_template_key(name):
            return "tmpl_" + hashlib.sha1(name.encode()).hexdigest()
        def signing_key(seed):
            return hashlib.sha1(seed).digest()
        """, [(5, 11, "SEC051")]),
    case("truncated-digest-is-an-identifier", """
        import hashlib
        def slug(text):
            short = hashlib.sha1(text.encode()).hexdigest()[:8]
            return short
        """, []),
    case("algorithm-table-and-key-identifier", """
        import hashlib
        from cryptography.hazmat.primitives import hashes
        SIGNATURE_HASHES = {"1.2.840.113549.1.1.4": hashes.MD5(), "1.2.840.113549.1.1.5": hashes.SHA1()}
        def key_identifier(spki):
            return hashlib.sha1(spki).digest()
        """, []),
    case("sha1-in-oaep-padding", """
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        def enc(pub, data):
            return pub.encrypt(data, padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
        """, []),
    case("sha256-and-unknown-algorithm", """
        import hashlib
        def sign(data, alg):
            return hashlib.sha256(data).hexdigest(), hashlib.new(alg, data)
        """, []),
]

SEC052_CASES = [
    case("token-from-choices", """
        import random, string
        def make(user):
            token = "".join(random.choices(string.ascii_letters, k=32))
            return token
        """, [(3, 4, "SEC052")]),
    case("otp-through-numeric-format", """
        import random
        def send_otp(sms):
            n = random.randint(0, 999999)
            code = f"{n:06d}"
            sms.send(otp=code)
        """, [(5, 4, "SEC052")]),
    case("set-cookie", """
        import random
        def login(resp):
            n = random.getrandbits(64)
            resp.set_cookie("sid", hex(n))
        """, [(4, 4, "SEC052")]),
    case("session-entry", """
        import random
        from flask import session
        def form():
            session["csrf"] = "%x" % random.getrandbits(128)
        """, [(4, 4, "SEC052")]),
    case("return-of-token-function", """
        import random
        def generate_reset_code():
            return str(random.randint(100000, 999999))
        """, [(3, 4, "SEC052")]),
    case("random-instance-and-randbytes", """
        import base64, random
        def new_api_key():
            rng = random.Random()
            raw = rng.randbytes(32)
            api_key = base64.urlsafe_b64encode(raw).decode()
            return api_key
        """, [(5, 4, "SEC052")]),
    case("numpy-and-uuid1", """
        import uuid
        import numpy as np
        def ids():
            session_id = str(uuid.uuid1())
            salt = np.random.bytes(16)
            return session_id, salt
        """, [(4, 4, "SEC052"), (5, 4, "SEC052")]),
    case("dict-entry-and-header", """
        import random
        def issue(resp):
            resp.headers["X-Auth-Token"] = str(random.random())
            return {"access_token": random.random(), "token_type": "bearer"}
        """, [(3, 4, "SEC052"), (4, 11, "SEC052")]),
    case("cipher-key-and-iv", """
        import random
        from Crypto.Cipher import AES
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        def encrypt(data):
            key = random.randbytes(32)
            iv = bytes(random.getrandbits(8) for _ in range(16))
            AES.new(key, AES.MODE_GCM)
            return Cipher(algorithms.AES(key), modes.CBC(iv))
        """, [(6, 4, "SEC052"), (7, 4, "SEC052"), (8, 18, "SEC052")]),
    case("module-level-secret", """
        import random
        SECRET_KEY = "".join(random.choice("abcdef0123456789") for _ in range(50))
        """, [(2, 0, "SEC052")]),
    # --- quiet -------------------------------------------------------------
    case("secrets-and-systemrandom", """
        import os, random, secrets
        def make():
            token = secrets.token_urlsafe(32)
            salt = os.urandom(16)
            nonce = random.SystemRandom().getrandbits(64)
            return token, salt, nonce
        """, []),
    case("retry-jitter-and-sampling", """
        import random, time
        def backoff(attempt, rows, deck):
            delay = min(30, 2 ** attempt) * random.uniform(0.5, 1.5)
            time.sleep(delay)
            random.shuffle(deck)
            sample = random.sample(rows, 10)
            return sample
        """, []),
    case("token-length-and-type-names", """
        import random
        def settings():
            token_length = random.randint(16, 32)
            session_timeout = random.uniform(60, 120)
            token_type = random.choice(["Bearer", "MAC"])
            return token_length, session_timeout, token_type
        """, []),
    case("secure-token-length-from-random-is-fine", """
        import random, secrets
        def make():
            return secrets.token_hex(16)
        def pick_color():
            return random.choice(["red", "green"])
        """, []),
    case("test-files-are-not-checked", """
        import random
        def test_login(client):
            password = str(random.random())
            client.post("/login", data={"password": password})
        """, []),
    case("passing-on-a-reported-value-is-not-reported-again", """
        import random
        def make(resp):
            token = str(random.random())
            resp.set_cookie("t", token)
            return {"token": token}
        """, [(3, 4, "SEC052")]),
]

SEC054_CASES = [
    case("pycryptodome-ecb-and-des", """
        from Crypto.Cipher import AES, DES3
        def enc(key, data):
            AES.new(key, AES.MODE_ECB).encrypt(data)
            return DES3.new(key, DES3.MODE_CBC)
        """, [(3, 4, "SEC054"), (4, 11, "SEC054")]),
    case("cryptography-weak-algorithms-and-ecb", """
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        def enc(key):
            a = Cipher(algorithms.AES(key), modes.ECB())
            b = Cipher(algorithms.TripleDES(key), modes.CBC(b"0" * 8))
            c = Cipher(algorithms.ARC4(key), mode=None)
        """, [(3, 36, "SEC054"), (4, 15, "SEC054"), (5, 15, "SEC054")]),
    case("short-rsa-dsa-keys-and-small-curve", """
        from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
        from Crypto.PublicKey import RSA, ECC
        BITS = 1024
        k1 = rsa.generate_private_key(public_exponent=65537, key_size=BITS)
        k2 = dsa.generate_private_key(1024)
        k3 = ec.generate_private_key(ec.SECP192R1())
        k4 = RSA.generate(1024)
        k5 = ECC.generate(curve="P-192")
        """, [(4, 5, "SEC054"), (5, 5, "SEC054"), (6, 5, "SEC054"), (7, 5, "SEC054"), (8, 5, "SEC054")]),
    case("pyopenssl-key-and-cipher-string", """
        from OpenSSL import crypto, SSL
        def make(ctx):
            k = crypto.PKey()
            k.generate_key(crypto.TYPE_RSA, 1024)
            ctx.set_cipher_list(b"DES-CBC3-SHA:HIGH")
        """, [(4, 4, "SEC054"), (5, 4, "SEC054")]),
    # --- quiet -------------------------------------------------------------
    case("aead-and-strong-keys", """
        from cryptography.fernet import Fernet
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
        from Crypto.Cipher import AES
        def make(key, ctx, bits):
            AESGCM(key); ChaCha20Poly1305(key); Fernet(key)
            AES.new(key, AES.MODE_GCM)
            rsa.generate_private_key(65537, 3072)
            rsa.generate_private_key(65537, bits)
            ec.generate_private_key(ec.SECP256R1())
            ctx.set_ciphers("ECDHE+AESGCM:!aNULL:!MD5:!RC4:!3DES")
        """, []),
]

SEC055_CASES = [
    case("pyjwt-verify-signature-false", """
        import jwt
        def claims(token):
            return jwt.decode(token, options={"verify_signature": False})
        """, [(3, 11, "SEC055")]),
    case("options-in-a-variable", """
        import jwt
        def claims(token, key):
            opts = {"verify_signature": False, "verify_exp": True}
            return jwt.decode(token, key, algorithms=["HS256"], options=opts)
        """, [(4, 11, "SEC055")]),
    case("pyjwt1-verify-false-and-none-algorithm", """
        import jwt
        from jose import jwt as jose_jwt
        def claims(token, key):
            a = jwt.decode(token, key, verify=False)
            b = jose_jwt.decode(token, key, algorithms=["HS256", "none"])
        """, [(4, 8, "SEC055"), (5, 8, "SEC055")]),
    case("authlib-accepts-none", """
        from authlib.jose import JsonWebToken
        jwt = JsonWebToken(["RS256", "none"])
        """, [(2, 6, "SEC055")]),
    # --- quiet -------------------------------------------------------------
    case("verified-decoding", """
        import jwt
        def claims(token, key):
            header = jwt.get_unverified_header(token)
            return jwt.decode(token, key, algorithms=["RS256"], options={"verify_exp": True})
        """, []),
    case("other-decode-methods", """
        import base64
        def f(data, opts):
            return data.decode("utf-8", errors="replace"), base64.b64decode(data)
        """, []),
]

CASES = {
    "SEC050": SEC050_CASES,
    "SEC051": SEC051_CASES,
    "SEC052": SEC052_CASES,
    "SEC054": SEC054_CASES,
    "SEC055": SEC055_CASES,
}


def _filename(c: Case) -> str:
    return "tests/test_login.py" if c.id.startswith("test-files") else "app/module.py"


@pytest.mark.parametrize(("code", "c"), [(code, c) for code, cs in CASES.items() for c in cs],
                         ids=lambda v: v if isinstance(v, str) else v.id)
def test_crypto(code: str, c: Case) -> None:
    assert lint(c.source, select=code, filename=_filename(c)) == c.expected
