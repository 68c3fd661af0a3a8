"""ASGI entry point: HTTP goes to Django, websockets to editor/routing.py (live run events)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before anything imports models (the websocket routes do).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.memory import freeze_startup_objects  # noqa: E402
from editor.executors import serve  # noqa: E402
from editor.routing import websocket_urlpatterns  # noqa: E402

# With the in-process executor (the default) this server drives live runs itself.
serve()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Session auth for sockets; the origin check stops other sites opening sockets with the
        # user's cookies.
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Everything the server keeps is built: keep it out of the garbage collector's full passes.
freeze_startup_objects()
