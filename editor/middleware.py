"""Refuse oversized request bodies before anything reads them."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


class RequestBodyLimitMiddleware:
    """Answer 413 when Content-Length exceeds MAX_REQUEST_BYTES.

    DRF streams a JSON body straight from the request, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE,
    so without this a client could make the server read and parse any amount of data. A body
    sent without Content-Length is never parsed: DRF and Django read only Content-Length bytes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.MAX_REQUEST_BYTES
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(length)
        except ValueError:
            return JsonResponse({"detail": "Content-Length is not a number."}, status=400)
        if size > limit:
            return JsonResponse(
                {
                    "detail": f"Request body too large: {size} bytes, the limit is {limit} bytes.",
                    "limit_bytes": limit,
                },
                status=413,
            )
        return self.get_response(request)
