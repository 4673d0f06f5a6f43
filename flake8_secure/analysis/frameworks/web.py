"""Web frameworks: response objects, cookie settings, CORS configuration,
and plaintext protocol clients."""

from __future__ import annotations

# Calls and types producing a response object (exact names or prefixes).
RESPONSE_ORIGINS = frozenset(
    {
        "flask.make_response", "flask.Response", "flask.jsonify", "flask.redirect", "flask.send_file",
        "flask.send_from_directory", "flask.wrappers.Response", "flask.helpers.make_response",
        "flask.current_app.make_response", "flask.current_app.response_class",
        "werkzeug.Response", "werkzeug.wrappers.Response", "werkzeug.utils.redirect",
        "quart.make_response", "quart.Response",
        "django.shortcuts.render", "django.shortcuts.redirect", "django.shortcuts.render_to_response",
        "django.template.response.TemplateResponse", "rest_framework.response.Response",
        "fastapi.Response",
    }
)
RESPONSE_PREFIXES = ("django.http.", "starlette.responses.", "fastapi.responses.")
COOKIE_SETTERS = frozenset({"set_cookie", "set_signed_cookie"})
# Positions of secure/httponly in set_cookie (Flask, Django and Starlette agree).
SECURE_POSITION = 6
HTTPONLY_POSITION = 7
# Cookies JavaScript must read (CSRF double-submit tokens): HttpOnly would break them.
SCRIPT_READABLE_COOKIE = r"(?i)csrf|xsrf"

# Flask/Django settings that must stay True in production.
COOKIE_SETTINGS = frozenset(
    {"SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
     "REMEMBER_COOKIE_SECURE", "REMEMBER_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SECURE"}
)
# Settings modules and config classes for local development or tests.
DEV_SETTINGS = r"(?i)(?:^|[_./\\])(?:dev|develop|development|local|test|tests|testing|ci)(?:$|[_./\\]|settings)"
DEV_CLASS = r"(?i)dev|local|test"

# CORS.
FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.cross_origin", "flask_cors.extension.CORS"})
CORS_MIDDLEWARE = frozenset(
    {"starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware"}
)
ANY_ORIGIN_REGEX = frozenset({".*", "^.*$", ".+", "^.+$", "https?://.*", "https://.*"})
DJANGO_CORS_ALLOW_ALL = frozenset({"CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"})
DJANGO_CORS_CREDENTIALS = "CORS_ALLOW_CREDENTIALS"

# Plaintext protocol clients -> what to use instead.
PLAINTEXT_CLIENTS: dict[str, str] = {
    "ftplib.FTP": "ftplib.FTP_TLS (or SFTP)",
    "telnetlib.Telnet": "SSH",
    "poplib.POP3": "poplib.POP3_SSL, or stls() before logging in",
    "imaplib.IMAP4": "imaplib.IMAP4_SSL, or starttls() before logging in",
}
STARTTLS = frozenset({"starttls", "stls"})
SMTP_TYPES = frozenset({"smtplib.SMTP", "smtplib.LMTP"})
SMTP_LOGINS = frozenset({"login", "auth", "auth_plain", "auth_login"})

# paramiko policies that accept unknown host keys.
TRUSTING_HOST_KEY_POLICIES = frozenset(
    {"paramiko.AutoAddPolicy", "paramiko.client.AutoAddPolicy",
     "paramiko.WarningPolicy", "paramiko.client.WarningPolicy"}
)
