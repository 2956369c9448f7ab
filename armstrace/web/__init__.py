"""The review web UI (issue 5): browse records, claims and articles, review claims, export.

    from armstrace.web import create_app
    app = create_app("sqlite:///armstrace.db")            # serve with uvicorn
    app = create_app("sqlite:///armstrace.db", read_only=True)   # browsing, no accounts

Every HTML page has a JSON twin (the same path with `.json`, or `?format=json`).
"""

from armstrace.web.app import create_app

__all__ = ["create_app"]
