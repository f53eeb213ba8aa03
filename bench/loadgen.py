"""The client side of the benchmark, run as its own process: `python bench/loadgen.py PLAN.json`.

PLAN is {"port": N, "ops": [...]}; each op is one of
  {"name", "kind": "latency", "method", "path", "headers", "body", "n", "warmup", "expect": [statuses],
   "body_template": optional dict whose "__N__" strings are replaced by the sample number}
  {"name", "kind": "throughput", "paths": [...], "headers", "concurrency", "seconds"}
  {"name", "kind": "poll_new", "create": {method, path, headers, body}, "poll_path", "poll_headers", "n"}
  {"name", "kind": "paired", "ops": [latency ops, each with its own "name" and optional "port"], "n", "warmup", "block"}
Prints one JSON object {name: {"samples_ms": [...], ...}} on stdout. Standard library only.
"""

from __future__ import annotations

import http.client
import itertools
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
        status, _, data, elapsed = send(
            port, op.get("method", "GET"), op["path"], op.get("headers", {}), encode(op.get("body"), number)
        )
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
        status, _, data, _ = send(
            port, "POST", create["path"], create["headers"], encode(create["body"], 100000 + number)
        )
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
    """Several latency ops (on one server or two: each may name its own "port") measured in turns:
    short blocks of back-to-back requests to each op, the order rotating every round, so a machine
    whose speed drifts during the run slows them alike and their ratio holds. The first request of
    each block is not counted: on two CPUs it can meet the other server still finishing its last
    answer (closing its database connection, say). Returns one result per op."""
    ops, results = op["ops"], {}
    n, block = op["n"], op.get("block", 5)
    for sub in ops:
        results[sub["name"]] = {"samples_ms": [], "bad": {}, "bytes": 0}
    number = 0

    def one(sub: dict) -> float:
        nonlocal number
        result = results[sub["name"]]
        status, _, data, elapsed = send(
            sub.get("port", port),
            sub.get("method", "GET"),
            sub["path"],
            sub.get("headers", {}),
            encode(sub.get("body"), number),
        )
        number += 1
        if status not in set(sub.get("expect", [200])):
            result["bad"][status] = data[:300].decode(errors="replace")
        result["bytes"] = len(data)
        return elapsed

    for sub in ops:
        for _ in range(op.get("warmup", 3)):
            one(sub)
    for shift in itertools.count():
        pending = [
            sub
            for sub in ops[shift % len(ops) :] + ops[: shift % len(ops)]
            if len(results[sub["name"]]["samples_ms"]) < n
        ]
        if not pending:
            return results
        for sub in pending:
            one(sub)  # the block's first request, not counted
            samples = results[sub["name"]]["samples_ms"]
            for _ in range(min(block, n - len(samples))):
                samples.append(one(sub))


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
    return {
        "samples_ms": samples,
        "per_second": len(samples) / wall,
        "statuses": {str(k): v for k, v in statuses.items()},
        "wall_s": wall,
    }


def main() -> None:
    plan = json.load(open(sys.argv[1]))
    port, results = plan["port"], {}
    for op in plan["ops"]:
        kind = op.get("kind", "latency")
        if kind == "paired":
            results.update(paired(port, op))
        else:
            results[op["name"]] = {"latency": latency, "poll_new": poll_new, "throughput": throughput}[kind](
                op.get("port", port), op
            )
        print(f"  loadgen: {op['name']} done", file=sys.stderr, flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
