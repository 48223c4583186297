"""Running the application: uvicorn on 127.0.0.1 and a free port, then the browser opens the page."""

from __future__ import annotations

import socket
import threading
import webbrowser

import uvicorn

from jixiao.web.app import Settings, create_app

__all__ = ["Settings", "free_port", "is_loopback", "serve"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def serve(settings: Settings, host: str, port: int | None, open_browser: bool) -> str:
    """Serve until interrupted; returns the URL it served. `port=None` picks a free one."""
    chosen = port or free_port(host)
    url = f"http://{'[' + host + ']' if ':' in host else host}:{chosen}/"
    config = uvicorn.Config(
        create_app(settings),
        host=host,
        port=chosen,
        log_level="warning",
        limit_concurrency=(settings.workers + settings.queue) * 2 + 32,  # connections, then plain 503
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    server.run()
    return url
