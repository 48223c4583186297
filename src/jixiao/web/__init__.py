"""`jixiao serve`: the workbench in a browser and a JSON HTTP API over a folder of rulesets.

Layout: `app` (Starlette routes, headers), `requests` (reading bodies within limits), `jobs` (the work
behind each endpoint, framework-free), `pool` (worker processes with a deadline), `adapter` (the
served folder: names, 采用 limited to the folder and packaged policies), `files` (open and save),
`models` (request and response bodies), `openapi`, `server` (uvicorn, the browser). The page and its
editor bundle are in `static/`, built from the repository's `web/` folder (see docs/workbench.md).

This package needs the `web` extra (`pip install "jixiao[web]"`); the core package never imports it.
"""
