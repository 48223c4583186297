"""Running the application: uvicorn on 127.0.0.1 and a free port, then the browser opens the page."""

from __future__ import annotations

import os
import socket
import threading
import webbrowser

import uvicorn

from jixiao.web.app import Settings, create_app
from jixiao.web.guard import is_loopback
from jixiao.web.limits import uvicorn_options

__all__ = ["Settings", "address", "is_loopback", "listening", "serve", "url"]


def listening(host: str, port: int) -> socket.socket:
    """A socket bound to `host`:`port` (0: a free port) for the server, made before anything is served, so
    that a port in use or an address not of this machine is reported (OSError) and a free port is not
    given up and taken again. Not `SO_REUSEADDR` on Windows, where it lets two servers share a port."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        if os.name != "nt":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def address(host: str, port: int) -> str:
    """`host:port` as a URL writes it: an IPv6 address in brackets ([::1]:8765)."""
    return f"{'[' + host + ']' if ':' in host else host}:{port}"


def url(sock: socket.socket) -> str:
    """The URL of the page served on `sock`."""
    return f"http://{address(*sock.getsockname()[:2])}/"


def serve(settings: Settings, sock: socket.socket, open_browser: bool) -> str:
    """Serve on `sock` (`listening`) until interrupted; returns the URL it served."""
    served = url(sock)
    config = uvicorn.Config(
        create_app(settings),
        log_level="warning",
        **uvicorn_options(settings.max_requests, settings.lang),  # every refusal JSON E977 (`web.limits`)
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(served,)).start()
    server.run(sockets=[sock])
    return served
