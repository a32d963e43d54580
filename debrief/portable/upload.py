"""Uploads kept in memory, never in a temporary file, and cut off past a bound.

Django writes an upload over 2.5 MB to a temporary file; a journal or a spreadsheet of past
sessions is coachee content in the clear, which must never reach the disk. These views
swap in ``BoundedMemoryHandler`` before the body is read (so they are ``csrf_exempt`` on the
outside and ``csrf_protect`` inside, as Django's documentation on upload handlers says).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect


class BoundedMemoryHandler(FileUploadHandler):
    """Holds each file in memory; a file past ``limit`` bytes is dropped and marked."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large = False
        self._buffer = io.BytesIO()
        self._size = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._buffer = io.BytesIO()
        self._size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        if self._size > self.limit:
            self.too_large = True
            raise SkipFile()
        self._buffer.write(raw_data)

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self._buffer.seek(0)
        return InMemoryUploadedFile(
            file=self._buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def bounded_upload(
    limit: Callable[[], int],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Run the view with uploads held in memory up to ``limit()`` bytes; CSRF still enforced.

    The view finds the handler as ``request.upload_bound`` to tell a coach their file was too
    large.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            handler = BoundedMemoryHandler(request, limit())
            request.upload_handlers = [handler]
            request.upload_bound = handler  # type: ignore[attr-defined]
            return protected(request, *args, **kwargs)

        return wrapper

    return decorate


def too_large(request: HttpRequest) -> bool:
    handler = getattr(request, "upload_bound", None)
    return bool(handler and handler.too_large)
