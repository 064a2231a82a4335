"""The review server: `create_app(memory_path)` builds the FastAPI application (no module-level app).

Safe by default: the CLI binds 127.0.0.1; with a token every request must carry it (the URL printed
at start sets a cookie, scripts send `Authorization: Bearer …`); without one, only requests addressed
to this computer's own names are answered (a Host header of another name is a DNS-rebinding page);
state-changing requests from another origin are refused; pages forbid inline and foreign scripts
(Content-Security-Policy), and the page puts every text into the DOM as text. Everything it serves
comes from the package. Every failed request leaves one line in the log (path and reason, never the
query string, which may hold the token).
"""

from __future__ import annotations

import hmac
import logging
import sqlite3
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from align import __version__
from align.errors import BusyError, ConflictError, InputError, NotFoundError
from align.pipeline import REVIEW_THRESHOLD
from align.review.deps import Settings
from align.review.jobs import Jobs
from align.review.routes import documents, jobs, memory
from align.store.alignments import AlignmentStore
from align.store.memory import Memory, database_error, read_only_folder

STATIC = resources.files("align.review") / "static"
TOKEN_COOKIE = "align_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")
LOG = logging.getLogger("align.review")
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'"


def _refuse(request: Request, status: int, message: str) -> JSONResponse:
    """The JSON answer of a failed request; the reason is kept for the log line."""
    request.state.error = message
    return JSONResponse({"detail": message}, status_code=status)


def _has_token(request: Request, token: str) -> bool:
    offered = [request.query_params.get("token"), request.cookies.get(TOKEN_COOKIE)]
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        offered.append(authorization[7:].strip())
    expected = token.encode("utf-8")   # as bytes: compare_digest refuses str with non-ASCII characters
    return any(value and hmac.compare_digest(value.encode("utf-8", "surrogateescape"), expected) for value in offered)


def _local_host(request: Request, names: frozenset[str]) -> bool:
    """True when the Host header names this server: one of `names` and the port it listens on."""
    host = request.headers.get("host", "")
    name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not name:
        name, port = host, ""
    server = request.scope.get("server")
    listening = str(server[1]) if server and server[1] is not None else None
    return name.lower() in names and (port or "80") == (listening or port or "80")


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
    return urlsplit(origin).netloc == request.headers.get("host")


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes gets 413 as soon as it is known to be too
    large (from Content-Length, or counted as it streams in), before the rest is read or spooled to disk."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        message = (f"the request is larger than {self.limit // 2**20} MB; align files that large with "
                   "`python -m align run` instead")
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            return await self._refuse(scope, send, message)
        received, over = 0, False

        async def counted():
            nonlocal received, over
            event = await receive()
            if event["type"] == "http.request":
                received += len(event.get("body", b""))
                if received > self.limit:
                    over = True
                    return {"type": "http.disconnect"}   # the app stops reading; its answer is replaced below
            return event

        refused = False

        async def answer(event):
            nonlocal refused
            if not over:
                await send(event)
            elif not refused:
                refused = True
                await self._refuse(scope, send, message)

        try:
            await self.app(scope, counted, answer)
        except Exception:
            if not over:
                raise
        if over and not refused:
            await self._refuse(scope, send, message)

    @staticmethod
    async def _refuse(scope, send, message: str) -> None:
        scope.setdefault("state", {})["error"] = message
        await JSONResponse({"detail": message}, status_code=413)(scope, None, send)


def create_app(memory_path: Path, *, token: str | None = None, threshold: float = REVIEW_THRESHOLD,
               host: str = "127.0.0.1", busy_timeout: float = 5.0) -> FastAPI:
    """The review application over one memory file, listening on `host`. With `token`, every request
    must carry it; without, the Host header must name this computer. A request that waits longer than
    `busy_timeout` seconds for another program's write gets 503."""
    memory_path = Path(memory_path)
    # a memory in a read-only folder is served for reading (edits are refused, naming the folder)
    readonly = memory_path.is_file() and read_only_folder(memory_path.absolute().parent)
    names = frozenset({*LOCAL_NAMES, (f"[{host}]" if ":" in host else host).lower()})
    # create or migrate the tables once, before serving
    AlignmentStore(Memory(memory_path, readonly=readonly)).memory.close()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.jobs.shutdown()

    # FastAPIOffline serves the OpenAPI page (/docs) from package files instead of a CDN
    app = FastAPIOffline(title="align review", version=__version__, lifespan=lifespan, redoc_url=None,
                  description="Review stored English–Chinese alignments: see, fix and confirm beads; "
                              "search the memory; export TMX. The page at / uses this API.")
    app.state.settings = Settings(memory_path, threshold, token, busy_timeout, readonly)
    app.state.jobs = Jobs(memory_path, threshold)
    app.state.documents = {}   # stem → (file and row it came from, StoredAlignment): see AlignmentStore
    app.state.answers = {}     # stem → (StoredAlignment, its JSON answers by request): see get_document

    app.add_middleware(BodyLimit, limit=jobs.MAX_BODY)
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)   # zlib's default level; not tuned

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if token and not _has_token(request, token):
            return _refuse(request, 401, "this review server needs its token: open the URL it printed at start")
        if not token and not _local_host(request, names):
            return _refuse(request, 400, f"this review server answers only to {', '.join(sorted(names))} on its port, "
                                         f"not to the host {request.headers.get('host', '')!r}; open the address it "
                                         "printed at start")
        if request.method not in SAFE_METHODS and not _same_origin(request):
            return _refuse(request, 403, "changes are accepted only from the review page itself")
        response = await call_next(request)
        if token and request.query_params.get("token") == token:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        if not request.url.path.startswith("/docs"):   # Swagger UI starts itself with an inline script
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.middleware("http")
    async def log_failures(request: Request, call_next):
        response = await call_next(request)
        if response.status_code >= 400:   # the path only: the query string may hold the token
            LOG.warning("%s %s → %d %s", request.method, request.url.path, response.status_code,
                        getattr(request.state, "error", ""))
        return response

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError):
        status = 409 if isinstance(exc, ConflictError) else 404 if isinstance(exc, NotFoundError) else \
            503 if isinstance(exc, BusyError) else 400
        return _refuse(request, status, str(exc))

    @app.exception_handler(sqlite3.DatabaseError)
    async def database_fault(request: Request, exc: sqlite3.DatabaseError):
        return await input_error(request, database_error(memory_path, exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        return _refuse(request, 400, f"{where}: {first.get('msg', 'invalid request')}" if where else
                       first.get("msg", "invalid request"))

    for router in (documents.router, memory.router, jobs.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    def page() -> HTMLResponse:
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))

    app.get("/", include_in_schema=False)(page)
    app.get("/documents/{stem}", include_in_schema=False)(lambda stem: page())
    return app
