"""Frame times while a reader scrolls the compare page's columns with the mouse wheel, in headless
Chromium (Debian's, driven by Playwright as bench/paint.py is): issue #19's "connectors draw in one
animation frame on scroll: no frame over 16 ms while scrolling a 5-column page with 500 links".

What a run does: a fresh browser context signed in as the reader opens the page (1400 × 900, the
desktop size the browser tests use), waits until links.js has drawn its connectors, optionally
ticks "Link scrolling" with the mouse, then, over each column in turn, moves the mouse there and
turns the wheel as a person does (a notch of 100 px every 40 ms down, then back up).

What is recorded, by a script added to the page before its own (nothing in the app changes):
- every animation frame: its start (the timestamp requestAnimationFrame passes) and the moment a
  message posted from it arrives, which is after the frame's rendering (scroll events, animation
  frame callbacks, style, layout, paint) is done: that difference is the frame's main-thread time,
  the figure that must stay under 16 ms for 60 frames a second;
- the interval between frames (over 1.5 × 16.7 ms means a frame was dropped);
- each animation-frame callback the page's scripts schedule, timed by name: links.js's ``draw``
  (the connectors) and sync.js's ``follow`` (Link scrolling);
- the browser's long tasks (over 50 ms).
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1400, "height": 900}
BUDGET_MS = 16.0
NOTCH_PX = 100
NOTCH_PAUSE_MS = 40
NOTCHES_DOWN = 20
NOTCHES_UP = 8

RECORDER = """
(() => {
  const state = (window.__frames = { recording: false, frames: [], callbacks: [], longTasks: [] });
  const nativeRaf = window.requestAnimationFrame.bind(window);
  // The page's own frame callbacks, timed by the name of the function (draw, follow, ...).
  window.requestAnimationFrame = (callback) =>
    nativeRaf((time) => {
      const started = performance.now();
      try {
        callback(time);
      } finally {
        if (state.recording) state.callbacks.push([callback.name || "anonymous", time, performance.now() - started]);
      }
    });
  // A message posted during a frame is handled once the frame's rendering is done.
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => {
    if (state.recording) state.frames.push([event.data, performance.now() - event.data]);
  };
  const tick = (time) => {
    channel.port2.postMessage(time);
    nativeRaf(tick);
  };
  nativeRaf(tick);
  try {
    new PerformanceObserver((list) => {
      if (state.recording) for (const entry of list.getEntries()) state.longTasks.push(entry.duration);
    }).observe({ type: "longtask" });
  } catch (error) {
    // no long-task timing in this browser: the frames still tell
  }
})();
"""


TRACE_CATEGORIES = ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline"]


def _main_thread_tasks(trace) -> list[tuple[float, float]]:
    """Every task the page's renderer ran on its main thread (a frame's rendering is one, each
    input event another): (wall ms, CPU ms), from a Chromium trace."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    main = {
        (event["pid"], event["tid"])
        for event in events
        if event.get("name") == "thread_name" and event.get("args", {}).get("name") == "CrRendererMain"
    }
    return [
        (event.get("dur", 0) / 1000, event.get("tdur", event.get("dur", 0)) / 1000)
        for event in events
        if event.get("name") == "RunTask" and event.get("ph") == "X" and (event.get("pid"), event.get("tid")) in main
    ]


class FramesUnavailable(Exception):
    pass


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def _log(message: str) -> None:
    print(f"    {message}", file=sys.stderr, flush=True)


def _one_run(browser, url: str, host: str, cookies: dict[str, str], *, link_scrolling: bool) -> dict:
    _log(f"loading the page (Link scrolling {'on' if link_scrolling else 'off'})")
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_cookies([{"name": k, "value": v, "domain": host, "path": "/"} for k, v in cookies.items()])
        context.add_init_script(RECORDER)
        page = context.new_page()
        page.set_default_timeout(30_000)
        response = page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            raise FramesUnavailable(f"{url} answered {response.status if response else 'nothing'}")
        # links.js fetches the links after load, marks the passages and draws: wait for that.
        page.wait_for_selector("svg.link-connectors path.link-connector", state="attached")
        page.wait_for_timeout(500)
        if link_scrolling:
            page.get_by_label("Link scrolling").check()
        bodies = page.locator(".column-body")
        shown = {
            "columns": bodies.count(),
            "passages": page.locator(".link-passage[role=button]").count(),
            "connectors_at_top": page.locator("path.link-connector").count(),
        }
        _log(f"scrolling: {shown}")
        # The browser's own trace of the renderer's main thread: each task's CPU time as well as its
        # wall time, so a machine busy with other work (whose processes take the CPU from the
        # renderer) shows as wall time without inflating the CPU figure.
        browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
        page.evaluate("window.__frames.recording = true")
        started = page.evaluate("performance.now()")
        for index in range(shown["columns"]):
            box = bodies.nth(index).bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 400))
            for delta, notches in ((NOTCH_PX, NOTCHES_DOWN), (-NOTCH_PX, NOTCHES_UP)):
                for _ in range(notches):
                    page.mouse.wheel(0, delta)
                    page.wait_for_timeout(NOTCH_PAUSE_MS)
        page.wait_for_timeout(300)  # the last scroll's frames
        recorded = page.evaluate(
            "(() => { const s = window.__frames; s.recording = false; return {frames: s.frames, callbacks: s.callbacks, "
            "longTasks: s.longTasks, connectors: document.querySelectorAll('path.link-connector').length}; })()"
        )
        recorded["seconds"] = (page.evaluate("performance.now()") - started) / 1000
        recorded["tasks"] = _main_thread_tasks(json.loads(browser.stop_tracing()))
        recorded.update(shown)
        return recorded
    finally:
        context.close()


def _figures(run: dict) -> dict:
    frames = sorted(run["frames"])  # [start, main-thread ms]
    work = [ms for _, ms in frames]
    starts = [start for start, _ in frames]
    intervals = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    per_frame: dict[str, dict[float, float]] = {}
    for name, frame_start, ms in run["callbacks"]:
        per_frame.setdefault(name, {})
        per_frame[name][frame_start] = per_frame[name].get(frame_start, 0.0) + ms
    draw = list(per_frame.get("draw", {}).values())
    tasks = run.get("tasks", [])
    task_cpu = [cpu for _, cpu in tasks]
    follow = list(per_frame.get("follow", {}).values())
    return {
        "frames": len(work),
        "seconds": run["seconds"],
        "max_frame_ms": max(work, default=float("nan")),
        "p99_frame_ms": _percentile(work, 99),
        "median_frame_ms": statistics.median(work) if work else float("nan"),
        "frames_over_budget": sum(ms > BUDGET_MS for ms in work),
        "dropped": sum(gap > 1.5 * 1000 / 60 for gap in intervals),
        "max_interval_ms": max(intervals, default=float("nan")),
        "long_tasks": len(run["longTasks"]),
        "task_cpu_max_ms": max(task_cpu, default=float("nan")),
        "tasks_cpu_over_budget": sum(cpu > BUDGET_MS for cpu in task_cpu),
        "draws": len(draw),
        "draw_median_ms": statistics.median(draw) if draw else float("nan"),
        "draw_max_ms": max(draw, default=float("nan")),
        "follows": len(follow),
        "follow_max_ms": max(follow, default=float("nan")),
        "columns": run["columns"],
        "passages": run["passages"],
        "connectors": run["connectors_at_top"],
    }


def scroll_frames(url: str, cookies: dict[str, str], *, runs: int = 3) -> dict[str, dict]:
    """For Link scrolling off and on: each run's figures and their medians (``runs`` runs each,
    after one warm-up load that is not counted). {"off": {"runs": [...], "median": {...}}, "on": ...}"""
    if not Path(CHROMIUM).exists():
        raise FramesUnavailable(f"no Chromium at {CHROMIUM} (`make browser` installs Debian's)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise FramesUnavailable(f"Playwright is not installed ({error}); `make install-test` installs it") from None
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or "127.0.0.1"
    results: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            # The first load warms the server's caches and the browser's: not counted.
            _one_run(browser, url, host, cookies, link_scrolling=False)
            for variant, link_scrolling in (("off", False), ("on", True)):
                figures = [
                    _figures(_one_run(browser, url, host, cookies, link_scrolling=link_scrolling)) for _ in range(runs)
                ]
                results[variant] = {
                    "runs": figures,
                    "median": {key: statistics.median(run[key] for run in figures) for key in figures[0]},
                }
        finally:
            browser.close()
    return results


def frame_lines(results: dict[str, dict]) -> list[str]:
    """The figures as the bench prints them, one line per variant."""
    lines = []
    for variant, result in results.items():
        m = result["median"]
        worst = max(run["max_frame_ms"] for run in result["runs"])
        lines.append(
            f"scrolling 5 columns with the wheel, Link scrolling {variant} (median of {len(result['runs'])} runs): "
            f"{m['frames']:.0f} frames in {m['seconds']:.1f} s, max frame {m['max_frame_ms']:.1f} ms "
            f"(worst run {worst:.1f}), p99 {m['p99_frame_ms']:.1f} ms, median {m['median_frame_ms']:.1f} ms, "
            f"frames over {BUDGET_MS:.0f} ms: {m['frames_over_budget']:.0f}, dropped frames: {m['dropped']:.0f}, "
            f"long tasks: {m['long_tasks']:.0f}; CPU time of the renderer's main-thread tasks (trace): "
            f"longest {m['task_cpu_max_ms']:.1f} ms, {m['tasks_cpu_over_budget']:.0f} over {BUDGET_MS:.0f} ms; links.js draw: {m['draws']:.0f} frames, "
            f"median {m['draw_median_ms']:.2f} ms, max {m['draw_max_ms']:.2f} ms"
            + (f"; sync.js follow: max {m['follow_max_ms']:.2f} ms" if m["follows"] else "")
            + f"; {m['passages']:.0f} linked passages, {m['connectors']:.0f} connectors drawn at the top"
        )
    return lines
