"""Routers by page family: accounts, browse (dashboard, records, actors), documents (articles
and claims), review (the write actions) and exports."""
