"""A small HTTP client for driving real hosts: a cookie jar shared by every host (as behind one
load balancer), CSRF tokens read from forms, multipart uploads, JSON with a bearer token."""

import http.cookiejar
import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Web:
    def __init__(self, timeout: float = 30):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirects())
        self.timeout = timeout

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                return Answer(answer.status, answer.read(), dict(answer.headers))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read(), dict(error.headers))

    def get(self, url: str, token: str | None = None) -> Answer:
        return self.request("GET", url, headers={"Authorization": f"Bearer {token}"} if token else {})

    def post_json(self, url: str, data: dict, token: str) -> Answer:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        return self.request("POST", url, json.dumps(data).encode(), headers)

    def csrf(self, page_url: str) -> str:
        found = CSRF.search(self.get(page_url).text)
        assert found, f"no form with a CSRF token on {page_url}"
        return found.group(1)

    def post_form(self, url: str, fields: dict, files: dict | None = None, csrf_from: str | None = None) -> Answer:
        """Post a form (multipart when files are given: {name: (filename, bytes, type)})."""
        fields = {**fields, "csrf_token": self.csrf(csrf_from or url)}
        if not files:
            pairs = [(k, v) for k, values in fields.items() for v in (values if isinstance(values, list) else [values])]
            body = urllib.parse.urlencode(pairs).encode()
            return self.request("POST", url, body, {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = secrets.token_hex(16)
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, content_type) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", url, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def sign_in(self, host: str, email: str, password: str) -> None:
        answer = self.post_form(f"{host}/account/sign-in", {"email": email, "password": password})
        assert answer.status == 302, f"sign-in as {email} on {host} failed: {answer.status}"
