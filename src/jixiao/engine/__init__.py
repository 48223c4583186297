"""The engine: resolve policies, check, compile to a plan, evaluate projects, total.

resolve → checks → compiler (→ plan) → evaluate (→ results). Imports only the language and the foundation.
"""
