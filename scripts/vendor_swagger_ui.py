"""Copy Swagger UI from an unpacked `npm pack swagger-ui-dist@X.Y.Z` into static/vendor/swagger-ui/.

The stylesheet's inline `data:` icons become files next to it, so the API docs page runs under our
strict Content-Security-Policy (img-src 'self') unchanged; its source-map comment is dropped (the
map is not shipped, and the manifest storage would look for it).

    npm pack swagger-ui-dist@5.35.0 && tar xzf swagger-ui-dist-5.35.0.tgz
    python scripts/vendor_swagger_ui.py package
"""

import base64
import hashlib
import re
import shutil
import sys
import urllib.parse
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "static" / "vendor" / "swagger-ui"
KEPT = ["swagger-ui-bundle.js", "swagger-ui-bundle.js.LICENSE.txt", "LICENSE", "NOTICE"]
# url("data:...") with CSS-escaped quotes inside, or url(data:...) unquoted.
DATA_URL = re.compile(r'url\("data:((?:[^"\\]|\\.)*)"\)|url\(data:([^)]*)\)')
EXTENSIONS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}


def icon_file(match):
    header, _, payload = (match.group(1) or match.group(2)).partition(",")
    media_type = header.split(";")[0]
    if header.endswith(";base64"):
        content = base64.b64decode(payload)
    else:
        content = urllib.parse.unquote(re.sub(r"\\(.)", r"\1", payload)).encode()
    name = f"icons/{hashlib.sha256(content).hexdigest()[:12]}.{EXTENSIONS[media_type]}"
    (TARGET / name).write_bytes(content)
    return f'url("{name}")'


def main(package):
    source = Path(package)
    (TARGET / "icons").mkdir(parents=True, exist_ok=True)
    for name in KEPT:
        shutil.copy(source / name, TARGET / name)
    css = (source / "swagger-ui.css").read_text()
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    (TARGET / "swagger-ui.css").write_text(DATA_URL.sub(icon_file, css))


if __name__ == "__main__":
    main(sys.argv[1])
