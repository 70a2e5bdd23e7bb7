"""Reading the numbers of the home page the way a user meets them: every link marked
`data-figure`, its address, its element id and the number it shows."""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

NUMBER = re.compile(r"\d[\d\s\xa0]*")


@dataclass
class Figure:
    key: str
    url: str
    dom_id: str
    value: int


class _Figures(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[Figure] = []
        self._open: dict | None = None  # the figure link being read
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._open is not None:
            self._depth += tag == "a"
            if attrs.get("id", "").startswith("count-") and not self._open["id"]:
                self._open["id"] = attrs["id"]
            return
        if tag == "a" and "data-figure" in attrs:
            self._open = {
                "key": attrs["data-figure"],
                "url": attrs["href"],
                "id": attrs.get("id", ""),
                "text": "",
            }

    def handle_data(self, data):
        if self._open is not None and not self._open["text"].strip():
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag != "a" or self._open is None:
            return
        if self._depth:
            self._depth -= 1
            return
        match = NUMBER.match(self._open["text"].strip())
        assert match, f"no number in figure {self._open}"
        value = int(re.sub(r"\D", "", match.group()))
        self.found.append(Figure(self._open["key"], self._open["url"], self._open["id"], value))
        self._open = None


def page_figures(html: str) -> list[Figure]:
    parser = _Figures()
    parser.feed(html)
    return parser.found
