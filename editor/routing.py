"""Websocket routes, served by config/asgi.py. Live-run consumers are added here (issue 4)."""

websocket_urlpatterns: list = []
