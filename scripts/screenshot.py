"""Screenshot a Reading Room page in Debian's Chromium: `python scripts/screenshot.py URL OUT.png`.

Used for the pictures in docs/ and to look at a page the way a reader sees it.
"""

from __future__ import annotations

import argparse

from playwright.sync_api import sync_playwright

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(args.url, wait_until="networkidle")
        page.screenshot(path=args.out, full_page=args.full_page)
        browser.close()


if __name__ == "__main__":
    main()
