"""The client side of the benchmark, run as its own process: `python bench/loadgen.py PLAN.json`.

PLAN is {"port": N, "ops": [...]}; each op is one of
  {"name", "kind": "latency", "method", "path", "headers", "body", "n", "warmup", "expect": [statuses],
   "body_template": optional dict whose "__N__" strings are replaced by the sample number}
  {"name", "kind": "throughput", "paths": [...], "headers", "concurrency", "seconds"}
  {"name", "kind": "poll_new", "create": {method, path, headers, body}, "poll_path", "poll_headers", "n"}
  {"name", "kind": "paired", "ops": [latency ops, each with its own "name" and optional "port"], "n", "warmup"}
Prints one JSON object {name: {"samples_ms": [...], ...}} on stdout. Standard library only.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time


def send(port: int, method: str, path: str, headers: dict, body: bytes | None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return response.status, dict(response.getheaders()), data, elapsed


def encode(body, number: int) -> bytes | None:
    if body is None:
        return None
    return json.dumps(body).replace("__N__", str(number)).encode()


def latency(port: int, op: dict) -> dict:
    expect = set(op.get("expect", [200]))
    samples, bad = [], {}
    for number in range(op.get("warmup", 3) + op["n"]):
        status, _, data, elapsed = send(port, op.get("method", "GET"), op["path"], op.get("headers", {}), encode(op.get("body"), number))
        if status not in expect:
            bad[status] = data[:300].decode(errors="replace")
        if number >= op.get("warmup", 3):
            samples.append(elapsed)
        time.sleep(op.get("pause", 0.0))
    return {"samples_ms": samples, "bad": bad, "bytes": len(data)}


def poll_new(port: int, op: dict) -> dict:
    samples, bad = [], {}
    create = op["create"]
    for number in range(op["n"] + 2):
        # The version now, then one annotation, then the timed poll with the old ETag.
        status, headers, data, _ = send(port, "GET", op["poll_path"] + "0", op["poll_headers"], None)
        version = json.loads(data)["version"]
        status, _, data, _ = send(port, "POST", create["path"], create["headers"], encode(create["body"], 100000 + number))
        if status != 201:
            bad[status] = data[:300].decode(errors="replace")
        headers = {**op["poll_headers"], "If-None-Match": f'"v{version}"'}
        status, _, data, elapsed = send(port, "GET", op["poll_path"] + str(version), headers, None)
        if status != 200 or not json.loads(data)["annotations"]:
            bad[status] = data[:300].decode(errors="replace")
        if number >= 2:
            samples.append(elapsed)
    return {"samples_ms": samples, "bad": bad}


def paired(port: int, op: dict) -> dict:
    """Several latency ops (on one server or two: each may name its own "port") measured in turns,
    one request of each per round, the order rotating every round: a machine whose speed drifts
    during the run slows them alike, so their ratio holds. Returns one result per op."""
    ops, results = op["ops"], {}
    for sub in ops:
        results[sub["name"]] = {"samples_ms": [], "bad": {}, "bytes": 0}
    warmup = op.get("warmup", 3)
    for number in range(warmup + op["n"]):
        shift = number % len(ops)
        for sub in ops[shift:] + ops[:shift]:
            result = results[sub["name"]]
            status, _, data, elapsed = send(sub.get("port", port), sub.get("method", "GET"), sub["path"], sub.get("headers", {}),
                                            encode(sub.get("body"), number))
            if status not in set(sub.get("expect", [200])):
                result["bad"][status] = data[:300].decode(errors="replace")
            if number >= warmup:
                result["samples_ms"].append(elapsed)
            result["bytes"] = len(data)
            # Back to back, as the single-server figures: a pause between requests lets the CPUs
            # idle, and waking them added 1 to 1.5 ms to every request here (10 ms pauses).
            time.sleep(op.get("pause", 0.0))
    return results


def throughput(port: int, op: dict) -> dict:
    paths, headers = op["paths"], op.get("headers", {})
    stop_at = time.perf_counter() + op["seconds"]
    lock = threading.Lock()
    samples, statuses = [], {}

    def reader(index: int) -> None:
        number = index
        while time.perf_counter() < stop_at:
            try:
                status, _, _, elapsed = send(port, "GET", paths[number % len(paths)], headers, None)
            except OSError as error:
                status, elapsed = f"error {type(error).__name__}", None
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if elapsed is not None and status == 200:
                    samples.append(elapsed)
            number += op["concurrency"]

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(op["concurrency"])]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"samples_ms": samples, "per_second": len(samples) / wall, "statuses": {str(k): v for k, v in statuses.items()}, "wall_s": wall}


def main() -> None:
    plan = json.load(open(sys.argv[1]))
    port, results = plan["port"], {}
    for op in plan["ops"]:
        kind = op.get("kind", "latency")
        if kind == "paired":
            results.update(paired(port, op))
        else:
            results[op["name"]] = {"latency": latency, "poll_new": poll_new, "throughput": throughput}[kind](op.get("port", port), op)
        print(f"  loadgen: {op['name']} done", file=sys.stderr, flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
