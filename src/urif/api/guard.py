"""The outermost ASGI layer: body-size limit and security headers on every response.

Plain ASGI rather than ``@app.middleware("http")``: it adds no task per request, reads a
body sent without Content-Length (chunked) itself, within the limit, so a missing length
cannot slip past it, and stamps the headers on every response, errors and the dashboard
included.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from urif.api.problems import PROBLEM_MEDIA_TYPE, problem

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
}


class Guard:
    """Refuse oversized bodies (413) and add the security headers to every response."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    def _refusal(self, status: int, detail: str, slug: str) -> JSONResponse:
        title = "Too large" if status == 413 else "Bad request"
        return JSONResponse(
            problem(status, title, detail, slug), status_code=status, media_type=PROBLEM_MEDIA_TYPE
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app with a counting ``receive`` and a header-stamping ``send``."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = str(scope.get("path", "")).startswith("/api")

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if is_api and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        limit = self.max_body_bytes
        length: bytes | None = None
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                length = value
        if length is not None:
            if not length.isdigit():
                await self._refusal(400, "invalid Content-Length", "bad-request")(
                    scope, receive, stamped
                )
                return
            if int(length) > limit:
                detail = f"the body has {int(length)} bytes; the limit is {limit}"
                await self._refusal(413, detail, "too-large")(scope, receive, stamped)
                return
            await self.app(scope, receive, stamped)
            return
        # No length (a chunked body): read it here, within the limit, then replay it.
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body.extend(message.get("body", b""))
            if len(body) > limit:
                detail = f"the body has more than {limit} bytes; the limit is {limit}"
                await self._refusal(413, detail, "too-large")(scope, receive, stamped)
                return
            more = bool(message.get("more_body", False))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, stamped)
