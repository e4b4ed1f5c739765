"""Guards a walk through paged results against servers that loop or never stop."""

from __future__ import annotations

from bridge_pipeline.http.errors import UnexpectedResponseError


class PageWalk:
    """Counts the pages of one listing and remembers each next-page link or token it followed.

    A link or token seen twice means the server is looping (the walk would never end and would
    return the same items again), so the walk stops with an error instead.
    """

    def __init__(self, source: str, what: str, max_pages: int):
        self.source = source
        self.what = what
        self.max_pages = max_pages
        self.pages = 0
        self._followed: set[str] = set()

    def page_read(self) -> None:
        self.pages += 1
        if self.pages > self.max_pages:
            raise UnexpectedResponseError(
                self.source, f"{self.what}: more than {self.max_pages} pages; stopped to avoid an endless walk"
            )

    def follow(self, link: str) -> None:
        if link in self._followed:
            raise UnexpectedResponseError(
                self.source,
                f"{self.what}: the server sent the same next-page link twice after {self.pages} page(s) "
                "(a pagination loop); stopped instead of reading the same items again",
            )
        self._followed.add(link)
